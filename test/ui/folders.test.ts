// The Folders view against a real agent: add a folder, watch it sync a new file, pause and resume, change its mode, remove it.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSessionAgent, embeddedStoreClient } from './uiControl.js';
import { openUiSession, type UiSession } from './uiSession.js';

let ui: UiSession;
let s3: S3Client;

// No remote poll: the folder syncs when its files change, so a new last-sync time means the watcher's cycle ran.
beforeAll(async () => {
  ui = await openUiSession('folders', { config: { remotePollSeconds: 3600 } });
  await callSessionAgent(ui, 'vault.create', { passphrase: 'folders view test passphrase' });
  s3 = embeddedStoreClient(ui);
});
afterAll(async () => {
  s3?.destroy();
  await ui?.close();
});

/** The folder's files in its bucket (Coffer's own objects, the keyring under .coffer/, left out). */
async function storedKeys(bucket: string): Promise<string[]> {
  const listing = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listing.Contents ?? [])
    .map((object) => object.Key!)
    .filter((key) => !key.startsWith('.coffer/'))
    .sort();
}

describe('the Folders view', () => {
  it('adds a folder, syncs it, follows a new file, pauses, resumes, changes its mode to SSE-S3 and removes it', async () => {
    const { page } = ui;
    await page.getByRole('heading', { level: 1, name: 'Folders' }).waitFor();
    await page.getByText('No folders sync yet').waitFor();
    await ui.screenshot('empty');

    writeFileSync(join(ui.folder, 'first.txt'), 'the first file');
    await page.getByRole('button', { name: 'Add folder' }).click();
    await page.getByLabel('Folder on this computer').fill(ui.folder);
    expect(await page.getByRole('radio', { name: /^SSE-C \(vault keys\)/ }).isChecked()).toBe(true);
    await ui.screenshot('add-form');
    await page.getByRole('button', { name: 'Start syncing' }).click();

    const card = page.getByRole('article', { name: ui.folder });
    await card.getByText('Idle', { exact: true }).waitFor();
    const lastSync = card.locator('time');
    await lastSync.waitFor();
    const firstSync = await lastSync.getAttribute('datetime');
    expect(Number.isNaN(Date.parse(firstSync!))).toBe(false);
    await card.getByText('SSE-C (vault keys) — Your vault holds the keys').waitFor();
    await card.getByText('Who holds the key').click();
    await card.getByText('without your vault, nobody can read the files').waitFor();
    const [folder] = (await callSessionAgent(ui, 'status.get', {})).folders;
    expect(folder).toMatchObject({ localPath: ui.folder, mode: 'sse-c-vault', store: 'embedded' });
    expect(await storedKeys(folder!.bucket)).toEqual(['first.txt']);
    await ui.screenshot('synced');
    await page.setViewportSize({ width: 700, height: 860 });
    await ui.screenshot('synced-narrow');
    await page.setViewportSize({ width: 1280, height: 860 });

    writeFileSync(join(ui.folder, 'second.txt'), 'written after the first sync');
    // The watcher's quiet delay, a cycle and the view's next status refresh: seconds on a loaded machine, not one.
    await expect.poll(() => lastSync.getAttribute('datetime'), { timeout: 30_000, interval: 100 }).not.toBe(firstSync);
    await card.getByText('Idle', { exact: true }).waitFor();
    expect(await storedKeys(folder!.bucket)).toEqual(['first.txt', 'second.txt']);
    await ui.screenshot('new-file-synced');

    await card.getByRole('button', { name: 'Sync now' }).click();
    await card.getByText('Synced just now.').waitFor();

    await card.getByRole('button', { name: 'Pause' }).click();
    await card.getByText('Paused', { exact: true }).waitFor();
    await card.getByText('Nothing syncs until you resume.').waitFor();
    expect(await card.getByRole('button', { name: 'Sync now' }).isDisabled()).toBe(true);
    expect((await callSessionAgent(ui, 'status.get', {})).folders[0]!.state).toBe('paused');
    await ui.screenshot('paused');
    await card.getByRole('button', { name: 'Resume' }).click();
    await card.getByText('Idle', { exact: true }).waitFor();
    expect((await callSessionAgent(ui, 'status.get', {})).folders[0]!.state).not.toBe('paused');

    await card.getByRole('button', { name: 'Change mode…' }).click();
    const modeDialog = page.getByRole('dialog', { name: 'Change the encryption mode' });
    await modeDialog.getByText('re-encrypted into the new mode by a server-side copy').waitFor();
    await modeDialog.getByRole('radio', { name: /^SSE-S3/ }).check();
    await ui.screenshot('change-mode');
    await modeDialog.getByRole('button', { name: 'Re-encrypt into this mode' }).click();
    await ui.screenshot('changing-mode');
    await card.getByText(/^Now in SSE-S3: [2-9] re-encrypted, \d+ skipped, 0 failed\.$/).waitFor();
    await card.getByText('SSE-S3 — Store-managed keys').waitFor();
    expect((await callSessionAgent(ui, 'status.get', {})).folders[0]).toMatchObject({ mode: 'sse-s3' });
    for (const key of ['first.txt', 'second.txt']) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: folder!.bucket, Key: key }));
      expect(head.ServerSideEncryption, key).toBe('AES256');
      expect(head.SSECustomerAlgorithm, key).toBeUndefined();
    }
    await ui.screenshot('mode-changed');

    await card.getByRole('button', { name: 'Remove…' }).click();
    const removeDialog = page.getByRole('dialog', { name: 'Stop syncing this folder?' });
    await removeDialog.getByText('Its files stay on this disk and in the store').waitFor();
    await removeDialog.getByRole('button', { name: 'Stop syncing' }).click();
    await card.waitFor({ state: 'detached' });
    await page.getByText('no longer syncs; its files stay on disk and in the store').waitFor();
    await page.getByText('No folders sync yet').waitFor();
    expect((await callSessionAgent(ui, 'status.get', {})).folders).toEqual([]);
    expect(existsSync(join(ui.folder, 'first.txt')) && existsSync(join(ui.folder, 'second.txt'))).toBe(true);
    expect(await storedKeys(folder!.bucket)).toEqual(['first.txt', 'second.txt']);
    await ui.screenshot('removed');
    expect(ui.pageErrors).toEqual([]);
  });
});
