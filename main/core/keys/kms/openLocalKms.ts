// Opens the data dir's kms.db the way the store and `coffer kms` both must, and a LocalKms over it.
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../db/openDatabase.js';
import { LocalKms, type LocalKmsOptions } from './localKms.js';
import { kmsMigrations } from './migrations/index.js';

export const KMS_DB_FILE = 'kms.db';

/** A KMS holds a few keys and a grant table: a small page cache covers the whole file. */
const KMS_DB_CACHE_KIB = 1024;

/**
 * WAL and synchronous=FULL (openDatabase), plus secure_delete: a deleted key's sealed material is
 * overwritten with zeros rather than left in free pages, so deletion really removes it from the file.
 */
export function openKmsDatabase(dataDir: string, options: { busyTimeoutMs?: number } = {}): SqliteDatabase {
  const db = openDatabase(join(dataDir, KMS_DB_FILE), { migrations: kmsMigrations, busyTimeoutMs: options.busyTimeoutMs, cacheKiB: KMS_DB_CACHE_KIB });
  db.pragma('secure_delete = ON');
  return db;
}

export interface OpenedKms {
  kms: LocalKms;
  db: SqliteDatabase;
  close(): void;
}

export function openLocalKms(dataDir: string, options: LocalKmsOptions & { busyTimeoutMs?: number }): OpenedKms {
  const db = openKmsDatabase(dataDir, { busyTimeoutMs: options.busyTimeoutMs });
  try {
    return { kms: new LocalKms(db, options), db, close: () => db.close() };
  } catch (err) {
    db.close();
    throw err;
  }
}
