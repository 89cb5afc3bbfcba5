// No passphrase, recovery key, key or credential ever appears in a thrown error's message, stack or cause.
import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createVault,
  importBackup,
  openVault,
  parseRecoveryKey,
  recoverVault,
  VAULT_FILE,
} from '../../../../main/core/keys/vault/index.js';
import { caught, PASSPHRASE, TEST_KDF, tempDirs, type TempDirs } from './vaultFixture.js';

let dirs: TempDirs;
beforeEach(() => {
  dirs = tempDirs();
});
afterEach(() => dirs.cleanup());

/** Every text an error carries: message, stack and causes, recursively. */
function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return [err.message, err.stack ?? '', err.cause !== undefined ? errorText(err.cause) : ''].join('\n');
}

function encodings(secret: Buffer | string): string[] {
  if (typeof secret === 'string') return [secret, secret.toLowerCase(), secret.replace(/-/g, '')];
  return [secret.toString('hex'), secret.toString('base64'), secret.toString('base64url')];
}

describe('secrets never reach thrown errors', () => {
  it('across wrong passphrases, bad recovery keys, damaged rows, bad descriptors and bad backups', async () => {
    const dir = dirs.make();
    const { vault, recoveryKey } = await createVault(dir, PASSPHRASE, { kdf: TEST_KDF });
    const fileKey = vault.createFileKey('f', 'a.txt');
    const master = Buffer.from(vault.currentMasterKey().key);
    const credential = { accessKeyId: 'AKIASECRETS', secretAccessKey: 'very-secret-access-key-value' };
    vault.putCredential('remote', credential);
    const backup = join(dir, 'backup.json');
    vault.exportBackup(backup);
    const wrongPassphrase = 'a-wrong-but-plausible-passphrase';
    const typo = `${recoveryKey.slice(0, -1)}${recoveryKey.endsWith('0') ? '1' : '0'}`;

    const errors: unknown[] = [];
    const collect = async (work: () => unknown): Promise<void> => {
      errors.push(await caught(work));
    };
    await collect(() => vault.changePassphrase(wrongPassphrase, 'another-new-passphrase'));
    await collect(() => vault.changePassphrase(PASSPHRASE, 'short'));
    await collect(() => createVault(dirs.make(), 'short', { kdf: TEST_KDF }));
    await collect(() => createVault(dir, PASSPHRASE, { kdf: TEST_KDF }));
    await collect(() => recoverVault(dirs.make(), typo, PASSPHRASE, { kdf: TEST_KDF }));
    await collect(() => recoverVault(dirs.make(), `${recoveryKey}X`, PASSPHRASE, { kdf: TEST_KDF }));
    await collect(() => vault.openWrappedFileKey(`${fileKey.descriptor.slice(0, -2)}${fileKey.descriptor.endsWith('AA') ? 'BB' : 'AA'}`));
    await collect(() => vault.openWrappedFileKey(`${fileKey.descriptor.startsWith('0') ? '1' : '0'}${fileKey.descriptor.slice(1)}`));
    await collect(() => vault.openWrappedFileKey(`${fileKey.descriptor}!`));
    await collect(() => vault.mergeKeyring({ format: 'coffer-vault-keyring', version: 1, keys: [{ id: '0123456789abcdef', createdAt: new Date().toISOString(), sealed: master.toString('base64') }] }));
    await collect(() => importBackup(dirs.make(), backup, { passphrase: wrongPassphrase }));
    await collect(() => importBackup(dirs.make(), backup, { recoveryKey: typo }));
    await collect(() => vault.putCredential('x', { accessKeyId: 'a', secretAccessKey: '' }));
    vault.close();

    const locked = openVault(dir);
    await collect(() => locked.unlock(wrongPassphrase));
    await collect(() => locked.unlockWithRecoveryKey(typo));
    await collect(() => locked.fileKey('f', 'a.txt'));
    const keyFile = join(dir, 'key.txt');
    writeFileSync(keyFile, typo);
    await collect(() => locked.unlockWithKeyFile(keyFile));
    locked.close();

    const raw = new Database(join(dir, VAULT_FILE));
    raw.exec("UPDATE file_keys SET key_id = 'ffffffffffffffff'; UPDATE credentials SET sealed = substr(sealed, 1, 20) || x'00' || substr(sealed, 22)");
    raw.close();
    const damaged = openVault(dir);
    await damaged.unlock(PASSPHRASE);
    await collect(() => damaged.fileKey('f', 'a.txt'));
    await collect(() => damaged.credential('remote'));
    await collect(() => damaged.rotateMasterKey());
    damaged.close();
    const notBackup = join(dir, 'nb.json');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(notBackup, JSON.stringify({ format: 'coffer-vault-backup', payload: PASSPHRASE }));
    await collect(() => importBackup(join(dir, 'sub'), notBackup, { passphrase: PASSPHRASE }));

    expect(errors).toHaveLength(21);
    const secrets = [
      PASSPHRASE,
      wrongPassphrase,
      'another-new-passphrase',
      ...encodings(recoveryKey),
      ...encodings(typo),
      ...encodings(parseRecoveryKey(recoveryKey)),
      ...encodings(master),
      ...encodings(fileKey.key),
      credential.secretAccessKey,
    ];
    for (const err of errors) {
      const text = errorText(err);
      for (const secret of secrets) expect(text, `${(err as Error).name}: ${(err as Error).message}`).not.toContain(secret);
    }
  });
});
