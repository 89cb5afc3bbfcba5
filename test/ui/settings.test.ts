// The Settings view against a real agent: limits and theme survive a reload, and a folder's ignore rules are checked and saved to disk.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSessionAgent } from './uiControl.js';
import { openUiSession, type UiSession } from './uiSession.js';

let ui: UiSession;

beforeAll(async () => {
  ui = await openUiSession('settings');
  await callSessionAgent(ui, 'vault.create', { passphrase: 'settings view test passphrase' });
  await callSessionAgent(ui, 'folders.add', { localPath: ui.folder, mode: 'sse-s3' });
});
afterAll(async () => ui?.close());

/** The theme the page has applied: data-theme on <html>, absent when it follows the system. */
const theme = async (): Promise<string | undefined> => (await ui.page.locator('html').getAttribute('data-theme')) ?? undefined;

describe('the Settings view', () => {
  it('saves limits, idle lock and theme (applied at once), and they are there after a reload', async () => {
    const { page } = ui;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const general = page.getByRole('region', { name: 'General' });
    const upload = general.getByLabel('Upload limit, KiB/s (0 = unlimited)');
    const download = general.getByLabel('Download limit, KiB/s (0 = unlimited)');
    const idleLock = general.getByLabel('Lock the vault after this many idle minutes (0 = never)');
    await upload.waitFor();
    // A browser cannot set what only the desktop app applies.
    expect(await general.getByLabel('Start Coffer when I log in').isDisabled()).toBe(true);
    expect(await general.getByLabel('Unlock at start with the passphrase sealed by the system’s key store').isDisabled()).toBe(true);
    await general.getByText('this browser cannot change them').waitFor();
    await ui.screenshot('loaded');

    await upload.fill('512');
    await download.fill('2048');
    await idleLock.fill('15');
    await general.getByLabel('Notify me of conflicts and errors').uncheck();
    await general.getByRole('radio', { name: 'Dark' }).check();
    expect(await theme()).toBe('dark');
    await general.getByRole('button', { name: 'Save settings' }).click();
    await general.getByRole('status').getByText('Saved', { exact: true }).waitFor();
    await ui.screenshot('saved-dark');
    const config = JSON.parse(readFileSync(join(ui.dataDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ uploadKiBps: 512, downloadKiBps: 2048, lockAfterIdleMinutes: 15, notifications: false, theme: 'dark' });

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await upload.waitFor();
    expect(await upload.inputValue()).toBe('512');
    expect(await download.inputValue()).toBe('2048');
    expect(await idleLock.inputValue()).toBe('15');
    expect(await general.getByLabel('Notify me of conflicts and errors').isChecked()).toBe(false);
    expect(await general.getByRole('radio', { name: 'Dark' }).isChecked()).toBe(true);
    await expect.poll(theme, { timeout: 10_000 }).toBe('dark');
    await ui.screenshot('reloaded');

    await general.getByRole('radio', { name: 'Same as the system' }).check();
    expect(await theme()).toBeUndefined();
    await upload.fill('0');
    await general.getByRole('button', { name: 'Save settings' }).click();
    await general.getByRole('status').getByText('Saved', { exact: true }).waitFor();
    expect(await callSessionAgent(ui, 'settings.get', {})).toMatchObject({ uploadKiBps: 0, theme: 'system' });
    expect(ui.pageErrors).toEqual([]);
  });

  it('refuses an ignore rule that can never match, naming its line, and saves good rules to the folder’s .cofferignore', async () => {
    const { page } = ui;
    const section = page.getByRole('region', { name: 'Ignore rules' });
    expect(await section.getByLabel('Folder').inputValue()).toBe((await callSessionAgent(ui, 'status.get', {})).folders[0]!.id);
    await section.getByRole('list', { name: 'Ignored by default' }).getByText('*.swp', { exact: true }).waitFor();
    await section.getByRole('list', { name: 'Always ignored' }).getByText('.coffer-trash', { exact: true }).waitFor();
    const rules = section.getByLabel('Rules (.cofferignore: one pattern per line, as in .gitignore)');
    const ignoreFile = join(ui.folder, '.cofferignore');

    await rules.fill('*.log\n# build output\n[z-a].tmp\n');
    await section.getByRole('button', { name: 'Save ignore rules' }).click();
    const refusal = section.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('line 3: the range z-a is out of order');
    await section.getByText('Line 3: [z-a].tmp', { exact: true }).waitFor();
    expect(await rules.getAttribute('aria-invalid')).toBe('true');
    expect(await rules.getAttribute('aria-describedby')).toBe('ignore-bad-line');
    expect(existsSync(ignoreFile)).toBe(false);
    await ui.screenshot('ignore-refused');

    const good = '*.log\n# build output\nbuild/\n!keep.log\n';
    await rules.fill(good);
    await section.getByRole('button', { name: 'Save ignore rules' }).click();
    await section.getByRole('status').getByText('Saved', { exact: true }).waitFor();
    expect(readFileSync(ignoreFile, 'utf8')).toBe(good);
    expect(await section.getByRole('alert').count()).toBe(0);
    await ui.screenshot('ignore-saved');

    await page.reload();
    await section.getByLabel('Rules (.cofferignore: one pattern per line, as in .gitignore)').waitFor();
    await expect.poll(() => rules.inputValue(), { timeout: 10_000 }).toBe(good);
    expect(ui.pageErrors).toEqual([]);
  });
});
