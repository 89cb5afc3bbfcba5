// Restoring a vault from a backup file, opened by the passphrase it was exported under or by the recovery key.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SqliteDatabase } from '../../db/openDatabase.js';
import { CryptoError } from '../../crypto/cryptoError.js';
import { openBytes } from '../../crypto/keyWrap.js';
import { backupFileSchema, backupPayloadSchema, headerBinding, type BackupFile, type BackupPayload } from './backupFormat.js';
import { insertSealedMasterKey, unsealMasterKey } from './masterKeyring.js';
import { openVault } from './openVault.js';
import { parseRecoveryKey } from './recoveryKey.js';
import { assertKdfParams } from './scryptKdf.js';
import { isRecoverySecretOf, openWithPassphrase, writeUnlockRecord, type UnlockRecord } from './unlockRecord.js';
import type { Vault } from './vault.js';
import type { BackupSummary } from './vaultBackup.js';
import { BackupCorruptError, VaultCorruptError, VaultExistsError, WrongPassphraseError } from './vaultErrors.js';
import { vaultEvents } from './vaultEvents.js';
import { installVaultFile, vaultPath } from './vaultFile.js';
import { backupKek, masterKeysKek } from './vaultKeys.js';
import type { VaultOptions } from './vaultTypes.js';

/** What opens a backup: the passphrase the vault had when it was exported, or the recovery key. */
export type BackupSecret = { passphrase: string } | { recoveryKey: string };

function readBackupFile(file: string): BackupFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== undefined) throw err;
    throw new BackupCorruptError(`${file} is not JSON`);
  }
  const result = backupFileSchema.safeParse(parsed);
  if (!result.success) throw new BackupCorruptError(`${file} is not a vault backup (${result.error.issues[0]!.path.join('.') || 'document'}: ${result.error.issues[0]!.message})`);
  return result.data;
}

function unlockRecordOf(backup: BackupFile, createdAt: number): UnlockRecord {
  const { salt, ...kdf } = backup.kdf;
  try {
    assertKdfParams(kdf);
  } catch {
    throw new BackupCorruptError('its header holds impossible scrypt parameters');
  }
  return {
    kdf,
    salt: Buffer.from(salt, 'base64'),
    sealedSecret: Buffer.from(backup.sealedRecoverySecret, 'base64'),
    secretCheck: Buffer.from(backup.recoveryCheck, 'base64'),
    createdAt,
    updatedAt: createdAt,
  };
}

async function openRecoverySecret(record: UnlockRecord, secret: BackupSecret): Promise<Buffer> {
  if ('recoveryKey' in secret) {
    const opened = parseRecoveryKey(secret.recoveryKey);
    if (isRecoverySecretOf(record, opened)) return opened;
    opened.fill(0);
    throw new WrongPassphraseError('recovery key', 'this backup');
  }
  try {
    return await openWithPassphrase(record, secret.passphrase, 'this backup (it opens with the passphrase the vault had when it was exported)');
  } catch (err) {
    if (err instanceof VaultCorruptError) throw new BackupCorruptError('its header opens to a secret its check does not match');
    throw err;
  }
}

function openPayload(backup: BackupFile, recoverySecret: Buffer): BackupPayload {
  const kek = backupKek(recoverySecret);
  let plain: Buffer;
  try {
    plain = openBytes(kek, Buffer.from(backup.payload, 'base64'), headerBinding(backup));
  } catch (err) {
    if (err instanceof CryptoError) throw new BackupCorruptError('its contents fail authentication (damaged or altered)');
    throw err;
  } finally {
    kek.fill(0);
  }
  try {
    const result = backupPayloadSchema.safeParse(JSON.parse(plain.toString('utf8')));
    if (!result.success) throw new BackupCorruptError('its contents are not the rows of a vault');
    return result.data;
  } finally {
    plain.fill(0);
  }
}

/** Every master key version must open before anything is written: a backup that cannot be used never replaces a vault. */
function checkMasterKeys(payload: BackupPayload, recoverySecret: Buffer): void {
  const kek = masterKeysKek(recoverySecret);
  try {
    for (const v of payload.masterKeys) {
      try {
        unsealMasterKey(kek, { id: v.id, createdAt: v.createdAt, sealed: Buffer.from(v.sealed, 'base64') }).fill(0);
      } catch (err) {
        if (err instanceof CryptoError) throw new BackupCorruptError(`its master key version ${v.id} fails authentication`);
        throw err;
      }
    }
  } finally {
    kek.fill(0);
  }
}

function insertRows(db: SqliteDatabase, payload: BackupPayload): void {
  const b = (s: string): Buffer => Buffer.from(s, 'base64');
  for (const v of payload.masterKeys) insertSealedMasterKey(db, { id: v.id, createdAt: v.createdAt, sealed: b(v.sealed) });
  const fileKey = db.prepare('INSERT INTO file_keys (folder_id, object_key, key_id, master_key_id, created_at, sealed) VALUES (?, ?, ?, ?, ?, ?)');
  for (const k of payload.fileKeys) fileKey.run(k.folderId, k.objectKey, k.keyId, k.masterKeyId, k.createdAt, b(k.sealed));
  const credential = db.prepare('INSERT INTO credentials (id, sealed, created_at, updated_at) VALUES (?, ?, ?, ?)');
  for (const c of payload.credentials) credential.run(c.id, b(c.sealed), c.createdAt, c.updatedAt);
  const folder = db.prepare('INSERT INTO folders (id, local_path, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  for (const f of payload.folders) folder.run(f.id, f.localPath, f.settings, f.createdAt, f.updatedAt);
}

/**
 * Restores the backup in `file` as `<dataDir>/vault.sqlite` and returns it unlocked. The vault
 * keeps the passphrase it had at export. Refuses to replace an existing vault (VaultExistsError)
 * unless `force`; then the old file is replaced in one rename, never half-written. Throws
 * BackupCorruptError for a file that is not a backup or fails authentication, WrongPassphraseError,
 * RecoveryKeyError for a mistyped key; in every case nothing on disk changes.
 */
export async function importBackup(dataDir: string, file: string, secret: BackupSecret, options: VaultOptions & { force?: boolean } = {}): Promise<Vault> {
  const force = options.force ?? false;
  if (!force && existsSync(vaultPath(dataDir))) throw new VaultExistsError(vaultPath(dataDir));
  const backup = readBackupFile(file);
  const record = unlockRecordOf(backup, 0);
  const recoverySecret = await openRecoverySecret(record, secret);
  try {
    const payload = openPayload(backup, recoverySecret);
    checkMasterKeys(payload, recoverySecret);
    mkdirSync(resolve(dataDir), { recursive: true, mode: 0o700 });
    installVaultFile(
      dataDir,
      (db) => {
        writeUnlockRecord(db, { ...record, createdAt: payload.unlockCreatedAt, updatedAt: Date.parse(backup.createdAt) });
        insertRows(db, payload);
      },
      force,
    );
    const vault = openVault(dataDir, options);
    vault.adoptRecoverySecret(Buffer.from(recoverySecret));
    const summary: BackupSummary = { masterKeys: payload.masterKeys.length, fileKeys: payload.fileKeys.length, credentials: payload.credentials.length, folders: payload.folders.length };
    vaultEvents(options).emit('ImportVaultBackup', { keyVersion: vault.masterKeys().at(-1)?.id, details: { ...summary } });
    return vault;
  } finally {
    recoverySecret.fill(0);
  }
}
