import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../../main/core/db/migrate.js';
import { indexMigrations } from '../../../../main/core/sync/index/migrations/index.js';

function migrated(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  runMigrations(db, indexMigrations.slice(0, 1), 'index');
  return db;
}

const insertFile = (db: Database.Database, values: Record<string, unknown>): void => {
  const row = { folder_id: 'f', path: 'a.txt', key: 'a.txt', ...values };
  const columns = Object.keys(row);
  db.prepare(`INSERT INTO files (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
};

const LOCAL = { local_size: 1, local_mtime_ms: 1.5, local_inode: 7, local_sha256: 'aa' };
const SYNCED = { synced_size: 1, synced_sha256: 'aa', synced_etag: '"e"', synced_mtime_ms: 1.5, synced_at: 2 };

describe('local index migration 0001', () => {
  it('creates the index tables from an empty file and records version 1', () => {
    const db = migrated();
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['conflicts', 'files', 'folder_state', 'upload_checkpoints', 'upload_parts']);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const fileColumns = db.prepare("SELECT name FROM pragma_table_info('files')").pluck().all();
    expect(fileColumns).toEqual([
      'folder_id', 'path', 'key',
      'local_size', 'local_mtime_ms', 'local_inode', 'local_sha256',
      'synced_size', 'synced_sha256', 'synced_etag', 'synced_mtime_ms', 'synced_at',
    ]);
    db.close();
  });

  it('looks files up by (folder_id, key) through an index, and allows two spellings of one key', () => {
    const db = migrated();
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT path FROM files WHERE folder_id = 'f' AND key = 'x'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX files_key/);
    insertFile(db, { path: 'e\u0301', key: '\u00e9', ...LOCAL });
    insertFile(db, { path: '\u00e9', key: '\u00e9', ...LOCAL });
    expect(() => insertFile(db, { path: '\u00e9', key: '\u00e9', ...LOCAL })).toThrow(/UNIQUE|PRIMARY/);
    db.close();
  });

  it('refuses half-filled scan or base columns and a row with neither', () => {
    const db = migrated();
    expect(() => insertFile(db, {})).toThrow(/CHECK/);
    expect(() => insertFile(db, { ...LOCAL, local_sha256: null })).toThrow(/CHECK/);
    expect(() => insertFile(db, { ...SYNCED, synced_etag: null })).toThrow(/CHECK/);
    expect(() => insertFile(db, { ...LOCAL, local_size: -1 })).toThrow(/CHECK/);
    insertFile(db, { ...LOCAL, ...SYNCED });
    insertFile(db, { path: 'b', key: 'b', ...SYNCED });
    db.close();
  });

  it('deletes a checkpoint together with its parts and keeps part numbers in 1..10000', () => {
    const db = migrated();
    db.prepare("INSERT INTO upload_checkpoints VALUES ('f', 'k', 'u1', 'fp', 5242880, 0)").run();
    db.prepare("INSERT INTO upload_parts VALUES ('f', 'k', 1, '\"p1\"', 5242880)").run();
    expect(() => db.prepare("INSERT INTO upload_parts VALUES ('f', 'k', 10001, '\"p\"', 1)").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO upload_parts VALUES ('f', 'other', 1, '\"p\"', 1)").run()).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM upload_checkpoints WHERE key = 'k'").run();
    expect(db.prepare('SELECT count(*) FROM upload_parts').pluck().get()).toBe(0);
    db.close();
  });

  it('keeps conflict kinds to the planner vocabulary and paused to 0/1', () => {
    const db = migrated();
    db.prepare("INSERT INTO conflicts (folder_id, path, conflict_path, kind, time) VALUES ('f', 'a', NULL, 'case-clash', 1)").run();
    expect(() => db.prepare("INSERT INTO conflicts (folder_id, path, kind, time) VALUES ('f', 'a', 'other', 1)").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO folder_state (folder_id, paused) VALUES ('f', 2)").run()).toThrow(/CHECK/);
    db.close();
  });
});
