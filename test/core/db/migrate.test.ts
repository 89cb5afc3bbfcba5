import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SchemaTooNewError, runMigrations, type Migration } from '../../../main/core/db/migrate.js';
import { openDatabase } from '../../../main/core/db/openDatabase.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coffer-migrate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const m1: Migration = { version: 1, name: 'one', up: (db) => db.exec('CREATE TABLE a (x INTEGER)') };
const m2: Migration = { version: 2, name: 'two', up: (db) => db.exec('ALTER TABLE a ADD COLUMN y TEXT') };

describe('runMigrations', () => {
  it('applies only the missing migrations, in order, and records the version', () => {
    const file = join(dir, 'a.db');
    openDatabase(file, { migrations: [m1] }).close();
    const db = openDatabase(file, { migrations: [m1, m2] });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('a')).toEqual(['x', 'y']);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  it('rolls a failing migration back entirely, leaving the previous version', () => {
    const file = join(dir, 'b.db');
    openDatabase(file, { migrations: [m1] }).close();
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up: (db) => {
        db.exec('CREATE TABLE half (z INTEGER)');
        throw new Error('boom');
      },
    };
    expect(() => openDatabase(file, { migrations: [m1, broken] })).toThrow('boom');
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a file from a newer schema without touching it', () => {
    const file = join(dir, 'c.db');
    const db = new Database(file);
    db.pragma('user_version = 7');
    db.close();
    expect(() => openDatabase(file, { migrations: [m1, m2] })).toThrow(SchemaTooNewError);
    const after = new Database(file);
    expect(after.pragma('user_version', { simple: true })).toBe(7);
    after.close();
  });

  it('insists on migrations numbered 1..n', () => {
    const db = new Database(':memory:');
    expect(() => runMigrations(db, [m2], 'mem')).toThrow(/numbered/);
    db.close();
  });
});
