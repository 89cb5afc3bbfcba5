// Writing an encrypted backup of the whole vault: rows sealed under the recovery secret, header opened by the passphrase.
import type { SqliteDatabase } from '../../db/openDatabase.js';
import { sealBytes } from '../../crypto/keyWrap.js';
import { writeFileAtomic } from '../../files/atomicFile.js';
import type { RandomSource } from '../../crypto/random.js';
import { BACKUP_FORMAT, headerBinding, type BackupFile, type BackupHeader, type BackupPayload } from './backupFormat.js';
import { sealedMasterKeys } from './masterKeyring.js';
import { readUnlockRecord } from './unlockRecord.js';
import { backupKek } from './vaultKeys.js';

/** How many of each the backup holds: shown to the user, recorded in the access history. */
export interface BackupSummary {
  masterKeys: number;
  fileKeys: number;
  credentials: number;
  folders: number;
}

function collectPayload(db: SqliteDatabase): BackupPayload {
  const b64 = (b: Buffer): string => b.toString('base64');
  type FileKeyRow = { folder_id: string; object_key: string; key_id: string; master_key_id: string; created_at: number; sealed: Buffer };
  type CredentialRow = { id: string; created_at: number; updated_at: number; sealed: Buffer };
  type FolderRow = { id: string; local_path: string; settings: string; created_at: number; updated_at: number };
  return {
    unlockCreatedAt: readUnlockRecord(db).createdAt,
    masterKeys: sealedMasterKeys(db).map((v) => ({ id: v.id, createdAt: v.createdAt, sealed: b64(v.sealed) })),
    fileKeys: (db.prepare('SELECT * FROM file_keys ORDER BY folder_id, object_key').all() as FileKeyRow[]).map((r) => ({
      folderId: r.folder_id,
      objectKey: r.object_key,
      keyId: r.key_id,
      masterKeyId: r.master_key_id,
      createdAt: r.created_at,
      sealed: b64(r.sealed),
    })),
    credentials: (db.prepare('SELECT * FROM credentials ORDER BY id').all() as CredentialRow[]).map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      sealed: b64(r.sealed),
    })),
    folders: (db.prepare('SELECT * FROM folders ORDER BY id').all() as FolderRow[]).map((r) => ({
      id: r.id,
      localPath: r.local_path,
      settings: r.settings,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    })),
  };
}

/**
 * The backup is JSON: the header (scrypt cost and salt, the recovery secret sealed under the
 * passphrase as it is now, and its one-way check) and the payload, every row of the vault sealed
 * under a key derived from the recovery secret, binding the header. So either that passphrase or
 * the recovery key opens it. Read in one transaction, so it is one consistent moment of the vault.
 */
export function writeBackup(db: SqliteDatabase, recoverySecret: Buffer, file: string, random: RandomSource, now: () => Date): BackupSummary {
  const { record, payload } = db.transaction(() => ({ record: readUnlockRecord(db), payload: collectPayload(db) }))();
  const header: BackupHeader = {
    format: BACKUP_FORMAT,
    version: 1,
    createdAt: now().toISOString(),
    kdf: { ...record.kdf, salt: record.salt.toString('base64') },
    sealedRecoverySecret: record.sealedSecret.toString('base64'),
    recoveryCheck: record.secretCheck.toString('base64'),
  };
  const kek = backupKek(recoverySecret);
  const plain = Buffer.from(JSON.stringify(payload), 'utf8');
  try {
    const sealed = sealBytes(kek, plain, headerBinding(header), random);
    const document: BackupFile = { ...header, payload: sealed.toString('base64') };
    writeFileAtomic(file, `${JSON.stringify(document, null, 2)}\n`, 0o600);
  } finally {
    kek.fill(0);
    plain.fill(0);
  }
  return { masterKeys: payload.masterKeys.length, fileKeys: payload.fileKeys.length, credentials: payload.credentials.length, folders: payload.folders.length };
}
