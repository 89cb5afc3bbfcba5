// `coffer vault` and `coffer keys rotate` as users run them: the built CLI on real data dirs, passphrases from the environment.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../main/core/audit/auditLog.js';
import { openVault } from '../../../main/core/keys/vault/index.js';
import { runCoffer, type CofferRun } from '../../support/cofferCli.js';

const PASSPHRASE = 'cli passphrase one';
const NEW_PASSPHRASE = 'cli passphrase two';
let root: string;
let n = 0;
const newDir = (): string => join(root, `d${(n += 1)}`);

/** Runs the CLI with exactly the passphrases given: inherited ones are cleared, and no store root key leaks in. */
function coffer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CofferRun> {
  return runCoffer(args, { COFFER_PASSPHRASE: '', COFFER_NEW_PASSPHRASE: '', COFFER_RECOVERY_KEY: '', COFFER_STORE_ROOT_KEY: '', ...env });
}

async function init(dir: string, passphrase = PASSPHRASE): Promise<string> {
  const r = await coffer(['vault', 'init', '--data-dir', dir, '--json'], { COFFER_PASSPHRASE: passphrase });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { recoveryKey: string }).recoveryKey;
}

async function status(dir: string): Promise<{ exists: boolean; masterKeys?: { id: string; current: boolean }[]; fileKeys?: number; kdf?: { N: number } }> {
  const r = await coffer(['vault', 'status', '--data-dir', dir, '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

const check = (dir: string, passphrase: string): Promise<CofferRun> => coffer(['vault', 'unlock', '--check', '--data-dir', dir], { COFFER_PASSPHRASE: passphrase });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'coffer-vault-cli-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('coffer vault', () => {
  it('init prints the recovery key once as JSON, and refuses a second init', async () => {
    const dir = newDir();
    const recoveryKey = await init(dir);
    expect(recoveryKey).toMatch(/^([0-9A-Z]{5}-){10}[0-9A-Z]{5}$/);
    expect(statSync(join(dir, 'vault.sqlite')).mode & 0o777).toBe(0o600);
    const s = await status(dir);
    expect(s.exists).toBe(true);
    expect(s.masterKeys).toHaveLength(1);
    expect(s.kdf!.N).toBeGreaterThanOrEqual(2 ** 15);
    expect(JSON.stringify(s)).not.toContain(recoveryKey);
    const again = await coffer(['vault', 'init', '--data-dir', dir], { COFFER_PASSPHRASE: PASSPHRASE });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/a vault already exists at .*vault\.sqlite; nothing was overwritten/);
  });

  it('init without --json prints the key in words around it; refuses a short passphrase and a missing one', async () => {
    const dir = newDir();
    const r = await coffer(['vault', 'init', '--data-dir', dir], { COFFER_PASSPHRASE: PASSPHRASE });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Recovery key \(shown this once[^\n]*\n\n {4}([0-9A-Z]{5}-){10}[0-9A-Z]{5}\n/);
    const short = await coffer(['vault', 'init', '--data-dir', newDir()], { COFFER_PASSPHRASE: 'short' });
    expect(short.code).toBe(1);
    expect(short.stderr).toBe('coffer: a passphrase needs at least 8 characters\n');
    const none = newDir();
    const missing = await coffer(['vault', 'init', '--data-dir', none]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no passphrase: set COFFER_PASSPHRASE/);
    expect(existsSync(none)).toBe(false);
  });

  it('unlock --check exits 0 for the passphrase and 1 for a wrong one, without echoing it', async () => {
    const dir = newDir();
    await init(dir);
    const right = await check(dir, PASSPHRASE);
    expect(right).toMatchObject({ code: 0, stderr: '' });
    const wrong = await check(dir, 'definitely not it');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^coffer: wrong passphrase: it does not open the vault/);
    expect(wrong.stderr + wrong.stdout).not.toContain('definitely not it');
    const missing = await check(newDir(), PASSPHRASE);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no vault at .*; create one with: coffer vault init/);
  });

  it('passwd changes the passphrase; the old one then fails', async () => {
    const dir = newDir();
    await init(dir);
    const wrongOld = await coffer(['vault', 'passwd', '--data-dir', dir], { COFFER_PASSPHRASE: 'not the old one', COFFER_NEW_PASSPHRASE: NEW_PASSPHRASE });
    expect(wrongOld.code).toBe(1);
    const tooShort = await coffer(['vault', 'passwd', '--data-dir', dir], { COFFER_PASSPHRASE: PASSPHRASE, COFFER_NEW_PASSPHRASE: 'short' });
    expect(tooShort.code).toBe(1);
    expect((await check(dir, PASSPHRASE)).code).toBe(0);
    const changed = await coffer(['vault', 'passwd', '--data-dir', dir], { COFFER_PASSPHRASE: PASSPHRASE, COFFER_NEW_PASSPHRASE: NEW_PASSPHRASE });
    expect(changed).toMatchObject({ code: 0, stderr: '' });
    expect((await check(dir, PASSPHRASE)).code).toBe(1);
    expect((await check(dir, NEW_PASSPHRASE)).code).toBe(0);
  });

  it('export and import round-trip the vault, by passphrase and by recovery key, refusing to overwrite without --force', async () => {
    const dir = newDir();
    const recoveryKey = await init(dir);
    const vault = openVault(dir);
    await vault.unlock(PASSPHRASE);
    const fileKey = vault.createFileKey('photos', 'cat.jpg').key;
    vault.close();
    const backup = join(root, `backup-${n}.json`);
    const exported = await coffer(['vault', 'export', '--data-dir', dir, '--out', backup], { COFFER_PASSPHRASE: PASSPHRASE });
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    expect(exported.stdout).toContain('1 master key versions, 1 file keys');
    expect(statSync(backup).mode & 0o777).toBe(0o600);

    const byPassphrase = newDir();
    const imported = await coffer(['vault', 'import', '--data-dir', byPassphrase, '--in', backup], { COFFER_PASSPHRASE: PASSPHRASE });
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect((await status(byPassphrase)).masterKeys).toEqual((await status(dir)).masterKeys);
    const restored = openVault(byPassphrase);
    await restored.unlock(PASSPHRASE);
    expect(restored.fileKey('photos', 'cat.jpg')).toEqual(fileKey);
    restored.close();

    const byKey = newDir();
    expect((await coffer(['vault', 'import', '--data-dir', byKey, '--in', backup, '--recovery-key', recoveryKey])).code).toBe(0);
    expect((await check(byKey, PASSPHRASE)).code).toBe(0);

    const occupied = newDir();
    await init(occupied, NEW_PASSPHRASE);
    const before = readFileSync(join(occupied, 'vault.sqlite'));
    const refused = await coffer(['vault', 'import', '--data-dir', occupied, '--in', backup], { COFFER_PASSPHRASE: PASSPHRASE });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/a vault already exists/);
    expect(readFileSync(join(occupied, 'vault.sqlite')).equals(before)).toBe(true);
    const wrong = await coffer(['vault', 'import', '--data-dir', occupied, '--in', backup, '--force'], { COFFER_PASSPHRASE: NEW_PASSPHRASE });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/wrong passphrase/);
    expect(readFileSync(join(occupied, 'vault.sqlite')).equals(before)).toBe(true);
    const forced = await coffer(['vault', 'import', '--data-dir', occupied, '--in', backup, '--force'], { COFFER_PASSPHRASE: PASSPHRASE });
    expect(forced.code).toBe(0);
    expect((await check(occupied, PASSPHRASE)).code).toBe(0);
    expect((await status(occupied)).fileKeys).toBe(1);
  });

  it('recover sets up a vault from the recovery key with a new passphrase, and catches a typo', async () => {
    const recoveryKey = await init(newDir());
    const typo = `${recoveryKey.slice(0, 1)}${recoveryKey[1] === 'A' ? 'B' : 'A'}${recoveryKey.slice(2)}`;
    const bad = newDir();
    const typoRun = await coffer(['vault', 'recover', '--data-dir', bad, '--recovery-key', typo], { COFFER_PASSPHRASE: NEW_PASSPHRASE });
    expect(typoRun.code).toBe(1);
    expect(typoRun.stderr).toMatch(/the recovery key has a typo/);
    expect(typoRun.stderr).not.toContain(typo);
    expect(existsSync(join(bad, 'vault.sqlite'))).toBe(false);

    const dir = newDir();
    const r = await coffer(['vault', 'recover', '--data-dir', dir, '--recovery-key', recoveryKey.toLowerCase()], { COFFER_PASSPHRASE: NEW_PASSPHRASE });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/no master key yet/);
    expect((await status(dir)).masterKeys).toEqual([]);
    expect((await check(dir, NEW_PASSPHRASE)).code).toBe(0);
    const fromEnv = newDir();
    expect((await coffer(['vault', 'recover', '--data-dir', fromEnv], { COFFER_PASSPHRASE: NEW_PASSPHRASE, COFFER_RECOVERY_KEY: recoveryKey })).code).toBe(0);
  });

  it('status reports a missing vault without failing', async () => {
    const dir = newDir();
    expect(await status(dir)).toEqual({ exists: false, file: join(dir, 'vault.sqlite') });
    const plain = await coffer(['vault', 'status', '--data-dir', dir]);
    expect(plain.stdout).toMatch(/^No vault at /);
  });
});

describe('coffer keys rotate', () => {
  it('adds a master key version, re-wraps every file key, and old descriptors still open', async () => {
    const dir = newDir();
    await init(dir);
    const vault = openVault(dir);
    await vault.unlock(PASSPHRASE);
    const made = ['a', 'b', 'c'].map((k) => ({ objectKey: k, ...vault.createFileKey('f', k) }));
    const first = vault.currentMasterKey().id;
    vault.close();

    const r = await coffer(['keys', 'rotate', '--data-dir', dir, '--json'], { COFFER_PASSPHRASE: PASSPHRASE });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const rotated = JSON.parse(r.stdout) as { id: string; rewrapped: number; previous: string };
    expect(rotated).toEqual({ id: expect.stringMatching(/^[0-9a-f]{16}$/), rewrapped: 3, previous: first });
    const s = await status(dir);
    expect(s.masterKeys!.map((v) => [v.id, v.current])).toEqual([
      [first, false],
      [rotated.id, true],
    ]);

    const reopened = openVault(dir);
    await reopened.unlock(PASSPHRASE);
    for (const m of made) {
      expect(reopened.fileKey('f', m.objectKey)).toEqual(m.key);
      expect(reopened.openWrappedFileKey(m.descriptor)).toEqual(m.key);
    }
    reopened.close();
    const plain = await coffer(['keys', 'rotate', '--data-dir', dir], { COFFER_PASSPHRASE: PASSPHRASE });
    expect(plain.stdout).toMatch(/^Rotated the vault master key: new version [0-9a-f]{16}; re-wrapped 3 file keys\.\n$/);
    const wrong = await coffer(['keys', 'rotate', '--data-dir', dir], { COFFER_PASSPHRASE: 'not the passphrase' });
    expect(wrong.code).toBe(1);
    expect((await status(dir)).masterKeys).toHaveLength(3);
  });

  it('records vault events in the data dir’s access history when it has one, without secrets', async () => {
    const dir = newDir();
    const rootKey = randomBytes(32);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'root.key'), `${rootKey.toString('base64')}\n`, { mode: 0o600 });
    await AuditLog.openInDataDir(dir, { rootKey }).close();

    const recoveryKey = await init(dir);
    expect((await check(dir, 'wrong passphrase here')).code).toBe(1);
    const rotated = await coffer(['keys', 'rotate', '--data-dir', dir, '--json'], { COFFER_PASSPHRASE: PASSPHRASE });
    const { id } = JSON.parse(rotated.stdout) as { id: string };

    const log = AuditLog.openInDataDir(dir, { rootKey });
    const events = log.query({ category: 'admin' }, { order: 'oldest', limit: 100 }).events.map((r) => r.event);
    expect(log.verify().ok).toBe(true);
    await log.close();
    expect(events.map((e) => `${e.operation}:${e.outcome}`)).toEqual([
      'VaultInit:success',
      'VaultLock:success',
      'VaultUnlockFailed:failure',
      'VaultUnlock:success',
      'RotateVaultMasterKey:success',
      'VaultLock:success',
    ]);
    expect(events.every((e) => e.principal === 'coffer-cli' && e.keyId === 'vault-master-key')).toBe(true);
    expect(events[4]!.keyVersion).toBe(id);
    const raw = readFileSync(join(dir, 'audit.db')).toString('latin1');
    for (const secret of [PASSPHRASE, 'wrong passphrase here', recoveryKey, recoveryKey.replace(/-/g, '')]) expect(raw).not.toContain(secret);

    // Without the root key the log cannot be signed: the command still works and says what it skipped.
    rmSync(join(dir, 'root.key'));
    const unsigned = await check(dir, PASSPHRASE);
    expect(unsigned.code).toBe(0);
    expect(unsigned.stderr).toMatch(/^coffer: not recorded in the access history: no store root key/);
  });
});
