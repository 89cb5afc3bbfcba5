// Test support for the re-seal job: what store.db and blobs/ hold, snapshotted for before/after comparisons.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SqliteDatabase } from '../../main/core/db/openDatabase.js';
import type { StoredEncryption } from '../../main/core/store/sse/storedEncryption.js';

export interface SealedState {
  /** `bucket/key` (objects) or `upload:<id>` (unfinished uploads) -> the stored encryption as parsed JSON. */
  rows: Map<string, StoredEncryption>;
}

/** Every object's and unfinished upload's stored encryption, straight from store.db. */
export function sealedState(db: SqliteDatabase): SealedState {
  const rows = new Map<string, StoredEncryption>();
  for (const row of db.prepare('SELECT bucket, key, encryption FROM objects ORDER BY bucket, key').all() as { bucket: string; key: string; encryption: string }[]) {
    rows.set(`${row.bucket}/${row.key}`, JSON.parse(row.encryption) as StoredEncryption);
  }
  for (const row of db.prepare('SELECT upload_id, encryption FROM uploads ORDER BY upload_id').all() as { upload_id: string; encryption: string }[]) {
    rows.set(`upload:${row.upload_id}`, JSON.parse(row.encryption) as StoredEncryption);
  }
  return { rows };
}

export function storedRow(db: SqliteDatabase, bucket: string, key: string): StoredEncryption {
  const row = db.prepare('SELECT encryption FROM objects WHERE bucket = ? AND key = ?').get(bucket, key) as { encryption: string } | undefined;
  if (!row) throw new Error(`no object ${bucket}/${key} in store.db`);
  return JSON.parse(row.encryption) as StoredEncryption;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The stored ciphertext: every file under blobs/ (relative name -> SHA-256) and every inline blob
 * in store.db (`inline:<id>` -> SHA-256). The re-seal job must leave all of it as it was.
 */
export function ciphertextSnapshot(dataDir: string, db: SqliteDatabase): Map<string, string> {
  const out = new Map<string, string>();
  const root = join(dataDir, 'blobs');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(root, full), sha256(readFileSync(full)));
    }
  };
  walk(root);
  for (const row of db.prepare('SELECT blob_id, data FROM inline_blobs ORDER BY blob_id').all() as { blob_id: string; data: Buffer }[]) {
    out.set(`inline:${row.blob_id}`, sha256(row.data));
  }
  return out;
}
