// The Keys view against a real agent: vault and store master key rotation, and a KMS key's life with real objects sealed under it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Locator } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callSessionAgent, embeddedStoreClient, initVaultWithCli } from './uiControl.js';
import { openUiSession, type UiSession } from './uiSession.js';

const ALIAS = 'alias/photos-key';
const BUCKET = 'keys-e2e';
const SEALED_OBJECTS = 3;

/** Evaluated in the page (a string: this file is compiled without the DOM's types): nothing wider than the window. */
const NO_PAGE_OVERFLOW = 'document.documentElement.scrollWidth <= document.documentElement.clientWidth';

let ui: UiSession;
let s3: S3Client;

/** Waits (Playwright-style, no fixed sleep) until `read` gives `expected`. */
function until<T>(read: () => Promise<T>, expected: T): Promise<void> {
  return expect.poll(read, { timeout: 20_000, interval: 100 }).toEqual(expected);
}

beforeAll(async () => {
  ui = await openUiSession('keys');
  await initVaultWithCli(ui);
  s3 = embeddedStoreClient(ui);
});
afterAll(async () => {
  s3?.destroy();
  await ui?.close();
});

// Every step ends without a console error or an uncaught exception in the page (CSP violations included).
afterEach(() => {
  expect(ui.pageErrors).toEqual([]);
});

describe('the Keys view', () => {
  it('rotates the vault master key and the store master key, and shows each new version', async () => {
    const { page } = ui;
    await page.getByRole('link', { name: 'Keys' }).click();
    const vault = page.getByRole('region', { name: 'Vault master keys' });
    const vaultRows = vault.getByRole('table', { name: 'Vault master key versions' }).locator('tbody tr');
    await until(() => vaultRows.count(), 1);
    await expect.poll(() => vaultRows.first().innerText(), { timeout: 20_000 }).toContain('Current');
    await ui.screenshot('1-keys-loaded');

    await vault.getByRole('button', { name: 'Rotate vault master key' }).click();
    await until(() => vaultRows.count(), 2);
    expect(await vaultRows.nth(0).innerText()).toContain('Older');
    expect(await vaultRows.nth(1).innerText()).toContain('Current');
    await vault.getByText(/file keys re-wrapped/).waitFor();

    const store = page.getByRole('region', { name: 'Store SSE-S3 master key' });
    const storeRows = store.getByRole('table', { name: 'Store master key versions' }).locator('tbody tr');
    await until(() => storeRows.count(), 1);
    await store.getByRole('button', { name: 'Rotate now' }).click();
    await until(() => storeRows.count(), 2);
    expect((await storeRows.nth(1).innerText()).split('\t')[0]).toBe('2');
    expect(await storeRows.nth(1).innerText()).toContain('Current');
    await store.getByText('Version 2 is now current.').waitFor();
    await ui.screenshot('2-master-keys-rotated');

    // Both rotations are in the access history, filtered to administration events.
    await page.getByRole('link', { name: 'Access history' }).click();
    await page.getByLabel('Category').selectOption('admin');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const events = page.getByRole('table', { name: 'Events' }).locator('tbody tr');
    await events.filter({ hasText: 'RotateStoreMasterKey' }).first().waitFor();
    await events.filter({ hasText: 'RotateVaultMasterKey' }).first().waitFor();
    for (const text of await events.allInnerTexts()) expect(text).toContain('admin');
    await ui.screenshot('2b-rotations-in-history');
    await page.getByRole('link', { name: 'Keys' }).click();
  });

  it("takes a KMS key through its life and says what disabling or deleting it would make unreadable", async () => {
    const { page } = ui;
    const kms = page.getByRole('region', { name: 'KMS keys' });
    await kms.getByLabel('Alias').fill('photos-key');
    await kms.getByLabel('Description').fill('Photos, for the end-to-end test');
    await kms.getByRole('button', { name: 'Create key' }).click();
    const row: Locator = kms.locator('tbody tr', { hasText: ALIAS });
    await row.waitFor();
    expect(await row.innerText()).toContain('Enabled');

    // Real objects under the key (and one under the store's aws/s3 key), and a folder whose mode names it.
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (let i = 0; i < SEALED_OBJECTS; i += 1) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `photo-${i}.jpg`, Body: `photo ${i}`, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: ALIAS }));
    }
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'managed.txt', Body: 'managed', ServerSideEncryption: 'aws:kms' }));
    await callSessionAgent(ui, 'folders.add', { localPath: ui.folder, mode: 'sse-kms', kmsKeyId: ALIAS });

    await row.getByRole('button', { name: `Rotate now ${ALIAS}` }).click();
    await until(async () => (await row.locator('td').nth(5).innerText()).trim(), '2');
    await kms.getByText(`${ALIAS} rotated: 2 key materials.`).waitFor();

    await row.getByRole('button', { name: `Automatic rotation of ${ALIAS}` }).click();
    const rotationDialog = page.getByRole('dialog', { name: `Automatic rotation of ${ALIAS}` });
    await rotationDialog.getByLabel(/Rotation period/).fill('180');
    await rotationDialog.getByRole('button', { name: 'Save rotation' }).click();
    await until(async () => (await row.innerText()).includes('Every 180 days'), true);
    await ui.screenshot('3-kms-created-rotated');

    await row.getByRole('button', { name: `Disable ${ALIAS}` }).click();
    const disableDialog = page.getByRole('dialog', { name: `Disable ${ALIAS}?` });
    await disableDialog.waitFor();
    expect(await disableDialog.innerText()).toContain(`${SEALED_OBJECTS} objects in the store and the folder ${ui.folder} become unreadable until the key is enabled again.`);
    await ui.screenshot('4-kms-disable-impact');
    await disableDialog.getByRole('button', { name: 'Disable key' }).click();
    await until(async () => (await row.locator('td').nth(2).innerText()).trim(), 'Disabled');
    // What the dialog said holds: an object under the disabled key no longer opens.
    await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'photo-0.jpg' }))).rejects.toThrow();

    await row.getByRole('button', { name: `Enable ${ALIAS}` }).click();
    await until(async () => (await row.locator('td').nth(2).innerText()).trim(), 'Enabled');
    const reopened = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'photo-0.jpg' }));
    expect(await reopened.Body!.transformToString()).toBe('photo 0');

    await row.getByRole('button', { name: `Schedule deletion of ${ALIAS}` }).click();
    const deleteDialog = page.getByRole('dialog', { name: `Schedule deletion of ${ALIAS}?` });
    await deleteDialog.waitFor();
    expect(await deleteDialog.getByLabel(/Waiting period/).inputValue()).toBe('30');
    const deleteText = await deleteDialog.innerText();
    expect(deleteText).toContain(`${SEALED_OBJECTS} objects in the store and the folder ${ui.folder} become unreadable permanently after`);
    await ui.screenshot('5-kms-delete-impact');
    await deleteDialog.getByRole('button', { name: 'Schedule deletion' }).click();
    await until(async () => (await row.locator('td').nth(2).innerText()).startsWith('Pending deletion (on '), true);
    await ui.screenshot('6-kms-pending-deletion');

    await row.getByRole('button', { name: `Cancel deletion of ${ALIAS}` }).click();
    await until(async () => (await row.locator('td').nth(2).innerText()).trim(), 'Disabled');
    expect(await row.getByRole('button', { name: /Cancel deletion/ }).count()).toBe(0);

    const managed = kms.locator('tbody tr', { hasText: 'alias/aws/s3' });
    await managed.waitFor();
    expect(await managed.getByRole('button', { name: /Disable|deletion/ }).count()).toBe(0);
    expect(await managed.innerText()).toContain('cannot be disabled or deleted');
    await ui.screenshot('7-kms-cancelled-and-managed');

    await page.setViewportSize({ width: 700, height: 900 });
    expect(await page.evaluate(NO_PAGE_OVERFLOW)).toBe(true);
    await ui.screenshot('8-narrow');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('re-keys a vault-keyed folder and reports the counts', async () => {
    const { page } = ui;
    const folder = join(ui.base, 'vault-folder');
    mkdirSync(folder);
    for (const name of ['a.txt', 'b.txt', 'c.txt']) writeFileSync(join(folder, name), `contents of ${name}`);
    const added = await callSessionAgent(ui, 'folders.add', { localPath: folder, mode: 'sse-c-vault' });
    await callSessionAgent(ui, 'folders.syncNow', { folderId: added.id });
    await until(async () => (await callSessionAgent(ui, 'status.get', {})).folders.find((f) => f.id === added.id)?.lastSyncAt !== undefined, true);

    const vault = page.getByRole('region', { name: 'Vault master keys' });
    await vault.getByLabel('Folder to re-key').selectOption(added.id);
    await vault.getByRole('button', { name: 'Re-key folder' }).click();
    await vault.getByText('Re-keyed 3 files, skipped 0, failed 0.').waitFor({ timeout: 30_000 });
    await ui.screenshot('9-rekeyed');
    expect(ui.pageErrors).toEqual([]);
  });
});
