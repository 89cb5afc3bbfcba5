// First run in the browser against a real agent: create a vault (weak passphrase refused, key checked), then recover it on a fresh data dir.
import { afterAll, describe, expect, it } from 'vitest';
import { openVault } from '../../main/core/keys/vault/index.js';
import { callSessionAgent } from './uiControl.js';
import { openUiSession, type UiSession } from './uiSession.js';

const STRONG = 'mango river candle 7 Orbit';
const RECOVERY_KEY_SHAPE = /^([0-9A-Z]{5}-){10}[0-9A-Z]{5}$/;

const sessions: UiSession[] = [];
afterAll(async () => {
  for (const ui of sessions) await ui.close();
});

async function session(name: string): Promise<UiSession> {
  const ui = await openUiSession(name);
  sessions.push(ui);
  return ui;
}

describe('first run in the UI', () => {
  let recoveryKey = '';

  it('refuses a weak passphrase by its rating, creates the vault, shows the key once and checks three groups of it', async () => {
    const ui = await session('first-run');
    const { page } = ui;
    await page.getByRole('heading', { name: 'Welcome to Coffer' }).waitFor();
    await ui.screenshot('welcome');
    await page.getByRole('button', { name: 'Create a new vault' }).click();

    await page.getByLabel('Passphrase', { exact: true }).fill('password1');
    await page.getByLabel('Type it again').fill('password1');
    const meter = page.getByRole('meter', { name: 'Strength' });
    expect(await meter.getAttribute('aria-valuetext')).toBe('Weak');
    await page.getByRole('button', { name: 'Create vault' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('rated Weak');
    await ui.screenshot('weak-refused');
    expect((await callSessionAgent(ui, 'status.get', {})).vault).toEqual({ exists: false, unlocked: false });

    await page.getByLabel('Passphrase', { exact: true }).fill(STRONG);
    await page.getByLabel('Type it again').fill(STRONG);
    expect(await meter.getAttribute('aria-valuetext')).toBe('Strong');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await page.getByRole('heading', { name: 'Your recovery key' }).waitFor();
    const groups = await page.getByRole('list', { name: 'Recovery key' }).locator('code').allTextContents();
    recoveryKey = groups.join('-');
    expect(recoveryKey).toMatch(RECOVERY_KEY_SHAPE);
    await ui.screenshot('recovery-key');
    // The polled status already says the vault exists; the key stays on screen all the same.
    expect((await callSessionAgent(ui, 'status.get', {})).vault).toEqual({ exists: true, unlocked: true });
    expect(await page.getByRole('heading', { name: 'Your recovery key' }).isVisible()).toBe(true);
    // Leaving the page now would lose the only copy: the browser asks first, and staying keeps the key on screen.
    const asked = page.waitForEvent('dialog', { timeout: 10_000 });
    const reload = page.reload({ timeout: 3_000 }).catch(() => 'stayed');
    const dialog = await asked;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
    expect(await reload).toBe('stayed');
    expect(await page.getByRole('list', { name: 'Recovery key' }).locator('code').allTextContents()).toEqual(groups);

    await page.getByRole('button', { name: 'I have written it down' }).click();
    await page.getByRole('heading', { name: 'Check your recovery key' }).waitFor();
    const labels = await page.locator('label[for^="check-group-"]').allTextContents();
    const positions = labels.map((label) => Number(/^Group (\d+)$/.exec(label.trim())![1]));
    expect(positions).toHaveLength(3);
    expect(new Set(positions).size).toBe(3);
    const groupAt = (position: number): string => groups[position - 1]!;
    const [first, second, third] = positions as [number, number, number];
    await page.getByLabel(`Group ${first}`, { exact: true }).fill(groupAt(first).toLowerCase());
    // A plausible slip: the right group of the wrong line.
    const wrong = groups.find((g) => g !== groupAt(second))!;
    await page.getByLabel(`Group ${second}`, { exact: true }).fill(wrong);
    await page.getByLabel(`Group ${third}`, { exact: true }).fill(groupAt(third));
    await page.getByRole('button', { name: 'Check and continue' }).click();
    await page.getByText(`Group ${second} is wrong`).waitFor();
    expect(await page.getByLabel(`Group ${second}`, { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel(`Group ${first}`, { exact: true }).getAttribute('aria-invalid')).toBe('false');
    await ui.screenshot('check-failed');

    await page.getByLabel(`Group ${second}`, { exact: true }).fill(groupAt(second));
    await page.getByRole('button', { name: 'Check and continue' }).click();
    await page.getByRole('heading', { name: 'Add your first folder' }).waitFor();
    await ui.screenshot('first-folder');
    await page.getByRole('button', { name: 'Skip for now' }).click();
    await page.getByRole('heading', { level: 1, name: 'Folders' }).waitFor();
    expect(await page.getByRole('link', { name: 'Folders' }).getAttribute('aria-current')).toBe('page');
    await ui.screenshot('landed');

    expect((await callSessionAgent(ui, 'status.get', {})).vault).toEqual({ exists: true, unlocked: true });
    expect(await page.content()).not.toContain(groups[0]);
    expect(ui.pageErrors).toEqual([]);
  });

  it('recovers the vault on a fresh data dir with that key (a typo refused first) and adds a first folder with vault keys', async () => {
    expect(recoveryKey).toMatch(RECOVERY_KEY_SHAPE);
    const ui = await session('first-run-recover');
    const { page } = ui;
    await page.getByRole('button', { name: 'Recover with a recovery key' }).click();
    await page.getByRole('heading', { name: 'Recover your vault' }).waitFor();
    const typo = `${recoveryKey[0] === 'A' ? 'B' : 'A'}${recoveryKey.slice(1)}`;
    await page.getByLabel('Recovery key').fill(typo);
    await page.getByLabel('New passphrase').fill('another strong one, 42 Lanterns');
    await page.getByLabel('Type it again').fill('another strong one, 42 Lanterns');
    await page.getByRole('button', { name: 'Recover vault' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('RecoveryKeyError');
    expect((await callSessionAgent(ui, 'status.get', {})).vault.exists).toBe(false);
    await ui.screenshot('typo-refused');

    await page.getByLabel('Recovery key').fill(recoveryKey.toLowerCase());
    await page.getByRole('button', { name: 'Recover vault' }).click();
    await page.getByRole('heading', { name: 'Add your first folder' }).waitFor();
    expect(await page.getByRole('radio', { name: /^SSE-C \(vault keys\)/ }).isChecked()).toBe(true);
    await page.getByLabel('Folder on this computer').fill(ui.folder);
    await ui.screenshot('first-folder');
    await page.getByRole('button', { name: 'Start syncing' }).click();
    await page.getByRole('heading', { level: 1, name: 'Folders' }).waitFor();
    await page.getByRole('article', { name: ui.folder }).waitFor();
    await ui.screenshot('landed');

    const status = await callSessionAgent(ui, 'status.get', {});
    expect(status.vault).toEqual({ exists: true, unlocked: true });
    expect(status.folders).toEqual([expect.objectContaining({ localPath: ui.folder, mode: 'sse-c-vault', store: 'embedded' })]);
    expect(ui.pageErrors).toEqual([]);

    // The vault written here opens with the key read from the first machine's screen.
    await ui.agent.stop();
    const vault = openVault(ui.dataDir);
    try {
      vault.unlockWithRecoveryKey(recoveryKey);
      expect(vault.isUnlocked).toBe(true);
    } finally {
      vault.close();
    }
  });
});
