import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../../main/core/db/migrate.js';
import { indexMigrations } from '../../../../main/core/sync/index/migrations/index.js';

function atVersion(version: number): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  runMigrations(db, indexMigrations.slice(0, version), 'index');
  return db;
}

describe('local index migration 0002', () => {
  it('adds folder_jobs and job_progress to a version 1 file, keeping its rows', () => {
    const db = atVersion(1);
    db.prepare("INSERT INTO files (folder_id, path, key, local_size, local_mtime_ms, local_inode, local_sha256) VALUES ('f', 'a', 'a', 1, 1, 1, 'aa')").run();
    runMigrations(db, indexMigrations.slice(0, 2), 'index');
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['conflicts', 'files', 'folder_jobs', 'folder_state', 'job_progress', 'upload_checkpoints', 'upload_parts']);
    expect(db.prepare("SELECT name FROM pragma_table_info('folder_jobs')").pluck().all()).toEqual(['folder_id', 'job', 'detail', 'started_at']);
    expect(db.prepare("SELECT name FROM pragma_table_info('job_progress')").pluck().all()).toEqual(['folder_id', 'job', 'object_key']);
    expect(db.prepare('SELECT count(*) FROM files').pluck().get()).toBe(1);
    db.close();
  });

  it('knows only the two job kinds, one row per folder and kind, and progress only for a job under way', () => {
    const db = atVersion(2);
    db.prepare("INSERT INTO folder_jobs VALUES ('f', 'change-mode', '{}', 1)").run();
    expect(() => db.prepare("INSERT INTO folder_jobs VALUES ('f', 'change-mode', '{}', 2)").run()).toThrow(/UNIQUE|PRIMARY/);
    expect(() => db.prepare("INSERT INTO folder_jobs VALUES ('f', 'reseal', '{}', 1)").run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO job_progress VALUES ('f', 'change-mode', 'a.txt')").run();
    expect(() => db.prepare("INSERT INTO job_progress VALUES ('f', 'rekey', 'a.txt')").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO job_progress VALUES ('f', 'change-mode', 'a.txt')").run()).toThrow(/UNIQUE|PRIMARY/);
    db.prepare("DELETE FROM folder_jobs WHERE folder_id = 'f'").run();
    expect(db.prepare('SELECT count(*) FROM job_progress').pluck().get()).toBe(0);
    db.close();
  });
});
