// Migration 0003 on a real index.sqlite written at schema 2: every row survives, the new synced_version_id is NULL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../main/core/db/openDatabase.js';
import { INDEX_FILE, LocalIndex } from '../../../../main/core/sync/index/localIndex.js';
import { indexMigrations } from '../../../../main/core/sync/index/migrations/index.js';

const TABLES = ['files', 'upload_checkpoints', 'upload_parts', 'folder_state', 'conflicts', 'folder_jobs', 'job_progress'];

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coffer-index-v2-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** index.sqlite as Coffer wrote it before 0003: schema 2, with a row in every table and every kind of files row. */
function writeVersion2File(): void {
  const db = openDatabase(join(dir, INDEX_FILE), { migrations: indexMigrations.slice(0, 2) });
  db.exec(`
    INSERT INTO files (folder_id, path, key, local_size, local_mtime_ms, local_inode, local_sha256) VALUES ('f', 'only-local.txt', 'only-local.txt', 1, 1.5, 11, 'aa');
    INSERT INTO files (folder_id, path, key, synced_size, synced_sha256, synced_etag, synced_mtime_ms, synced_at)
      VALUES ('f', 'only-base.txt', 'only-base.txt', 2, 'bb', '"e2"', 2.5, 100);
    INSERT INTO files (folder_id, path, key, local_size, local_mtime_ms, local_inode, local_sha256, synced_size, synced_sha256, synced_etag, synced_mtime_ms, synced_at)
      VALUES ('f', 'Cafe\u0301.txt', 'Café.txt', 3, 3.5, 33, 'cc', 3, 'cc', '"e3"', 3.5, 200);
    INSERT INTO files (folder_id, path, key, synced_size, synced_sha256, synced_etag, synced_mtime_ms, synced_at) VALUES ('g', 'other.txt', 'other.txt', 4, 'dd', '"e4"', 4, 300);
    INSERT INTO upload_checkpoints VALUES ('f', 'big.bin', 'upload-1', 'fp', 5242880, 400);
    INSERT INTO upload_parts VALUES ('f', 'big.bin', 1, '"p1"', 5242880);
    INSERT INTO folder_state (folder_id, last_sync_at, paused, paused_reason) VALUES ('f', 500, 1, 'by the user');
    INSERT INTO conflicts (folder_id, path, conflict_path, kind, time) VALUES ('f', 'x.txt', 'x (conflict).txt', 'both-changed', 600);
    INSERT INTO folder_jobs VALUES ('f', 'rekey', '{"olderThanDays":0}', 700);
    INSERT INTO job_progress VALUES ('f', 'rekey', 'Café.txt');
  `);
  expect(db.pragma('user_version', { simple: true })).toBe(2);
  db.close();
}

function snapshot(db: SqliteDatabase): Record<string, unknown[]> {
  return Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all()]));
}

/** The schema 2 file's rows, read without upgrading it (its own two migrations are all this open knows). */
function rowsAtVersion2(): Record<string, unknown[]> {
  const db = openDatabase(join(dir, INDEX_FILE), { migrations: indexMigrations.slice(0, 2), readonly: true });
  try {
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    return snapshot(db);
  } finally {
    db.close();
  }
}

describe('local index migration 0003', () => {
  it('upgrades a schema 2 file to 3 keeping every row, with synced_version_id NULL throughout', () => {
    writeVersion2File();
    const before = rowsAtVersion2();
    const index = LocalIndex.open(dir);
    try {
      expect(index.db.pragma('user_version', { simple: true })).toBe(3);
      const columns = index.db.prepare("SELECT name FROM pragma_table_info('files')").pluck().all();
      expect(columns.at(-1)).toBe('synced_version_id');
      const after = snapshot(index.db);
      const files = after.files as Record<string, unknown>[];
      expect(files).toHaveLength(4);
      expect(files.map((row) => row.synced_version_id)).toEqual([null, null, null, null]);
      const withoutNewColumn = files.map(({ synced_version_id: _added, ...rest }) => rest);
      expect({ ...after, files: withoutNewColumn }).toEqual(before);
      // The bases read back as before: no version id recorded.
      expect(index.baseEntries('f')).toEqual([
        { path: 'Cafe\u0301.txt', size: 3, sha256: 'cc', etag: '"e3"', mtimeMs: 3.5 },
        { path: 'only-base.txt', size: 2, sha256: 'bb', etag: '"e2"', mtimeMs: 2.5 },
      ]);
      for (const base of index.baseEntries('f')) expect(base).not.toHaveProperty('versionId');
    } finally {
      index.close();
    }
  });

  it('keeps a version id only on a row with a base, and never the "null" or empty version', () => {
    writeVersion2File();
    const index = LocalIndex.open(dir);
    try {
      const set = (path: string, value: string): void => {
        index.db.prepare("UPDATE files SET synced_version_id = ? WHERE folder_id = 'f' AND path = ?").run(value, path);
      };
      expect(() => set('only-local.txt', 'v1')).toThrow(/CHECK/);
      expect(() => set('only-base.txt', 'null')).toThrow(/CHECK/);
      expect(() => set('only-base.txt', '')).toThrow(/CHECK/);
      set('only-base.txt', 'v1');
      expect(index.baseEntries('f').find((b) => b.path === 'only-base.txt')?.versionId).toBe('v1');
    } finally {
      index.close();
    }
  });

  it('is applied once: reopening the upgraded file changes nothing', () => {
    writeVersion2File();
    LocalIndex.open(dir).close();
    const index = LocalIndex.open(dir);
    try {
      expect(index.db.pragma('user_version', { simple: true })).toBe(3);
      expect((snapshot(index.db).files as unknown[]).length).toBe(4);
    } finally {
      index.close();
    }
  });
});
