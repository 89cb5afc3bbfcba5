import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../../main/core/db/migrate.js';
import { kmsMigrations } from '../../../../main/core/keys/kms/migrations/index.js';

function migrated(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  runMigrations(db, kmsMigrations, 'kms');
  return db;
}

const insertKey = (db: Database.Database, id: string, state = 'Enabled', deletionAt: number | null = null): void => {
  db.prepare(
    `INSERT INTO kms_keys (key_id, region, description, key_manager, created_at, state, deletion_at, pending_window_days, rotation_enabled, rotation_period_days, next_rotation_at)
     VALUES (?, 'us-east-1', '', 'CUSTOMER', 0, ?, ?, NULL, 0, NULL, NULL)`,
  ).run(id, state, deletionAt);
};

describe('kms migration 0001', () => {
  it('creates the KMS tables from an empty file and records version 1', () => {
    const db = migrated();
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['kms_aliases', 'kms_key_materials', 'kms_keys', 'kms_settings']);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses states outside the model and a PendingDeletion key without a deletion date', () => {
    const db = migrated();
    expect(() => insertKey(db, 'a', 'Creating')).toThrow(/CHECK/);
    expect(() => insertKey(db, 'b', 'PendingDeletion', null)).toThrow(/CHECK/);
    expect(() => insertKey(db, 'c', 'Enabled', 123)).toThrow(/CHECK/);
    insertKey(db, 'd', 'PendingDeletion', 123);
    expect(() =>
      db.prepare("UPDATE kms_keys SET rotation_enabled = 1 WHERE key_id = 'd'").run(),
    ).toThrow(/CHECK/);
    db.close();
  });

  it('deletes a key together with its materials and aliases', () => {
    const db = migrated();
    insertKey(db, 'k');
    db.prepare("INSERT INTO kms_key_materials VALUES ('k', 1, 'm1', 0, NULL, x'00')").run();
    db.prepare("INSERT INTO kms_key_materials VALUES ('k', 2, 'm2', 0, 'ON_DEMAND', x'00')").run();
    db.prepare("INSERT INTO kms_aliases VALUES ('us-east-1', 'alias/a', 'k', 0)").run();
    expect(() => db.prepare("INSERT INTO kms_aliases VALUES ('us-east-1', 'alias/b', 'missing', 0)").run()).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM kms_keys WHERE key_id = 'k'").run();
    expect(db.prepare('SELECT count(*) FROM kms_key_materials').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM kms_aliases').pluck().get()).toBe(0);
    db.close();
  });

  it('keeps alias names unique per region, not across regions', () => {
    const db = migrated();
    insertKey(db, 'k');
    db.prepare("INSERT INTO kms_aliases VALUES ('us-east-1', 'alias/a', 'k', 0)").run();
    db.prepare("INSERT INTO kms_aliases VALUES ('eu-west-1', 'alias/a', 'k', 0)").run();
    expect(() => db.prepare("INSERT INTO kms_aliases VALUES ('us-east-1', 'alias/a', 'k', 0)").run()).toThrow(/UNIQUE|PRIMARY/);
    db.close();
  });
});
