// Opens the access history's own SQLite file (audit.db in the data dir) through the shared database helper.
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../db/openDatabase.js';
import { auditMigrations } from './migrations/index.js';

export const AUDIT_DB_FILE = 'audit.db';

/**
 * Milliseconds a write waits for another process's lock. Commits wait on the writer thread, so a
 * wait never stalls the store's event loop; only open (settings) and prune wait on the caller's.
 */
export const AUDIT_BUSY_TIMEOUT_MS = 5000;

export function auditDatabasePath(dataDir: string): string {
  return join(dataDir, AUDIT_DB_FILE);
}

/**
 * Appends touch only the tail of the table and its indexes, and queries page through it once, so a
 * small page cache serves every opener; the default would let each of them hold 16 MiB.
 */
const AUDIT_DB_CACHE_KIB = 1024;

/** WAL and synchronous=FULL (via openDatabase), migrations applied. */
export function openAuditDatabase(file: string, busyTimeoutMs = AUDIT_BUSY_TIMEOUT_MS, options: { readonly?: boolean } = {}): SqliteDatabase {
  return openDatabase(file, { migrations: auditMigrations, busyTimeoutMs, readonly: options.readonly ?? false, cacheKiB: AUDIT_DB_CACHE_KIB });
}
