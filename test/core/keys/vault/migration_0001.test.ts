// Vault migration 0001 on an empty SQLite file: the tables, and the constraints that keep rows sane.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../../main/core/db/migrate.js';
import { vaultMigrations } from '../../../../main/core/keys/vault/migrations/index.js';

function migrated(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  runMigrations(db, vaultMigrations, 'vault');
  return db;
}

const unlockRow = (db: Database.Database, id = 1, n = 1024, check = Buffer.alloc(32)): void => {
  db.prepare("INSERT INTO vault_unlock VALUES (?, 'scrypt', ?, 8, 1, x'00', x'00', ?, 0, 0)").run(id, n, check);
};

describe('vault migration 0001', () => {
  it('creates the vault tables from an empty file and records version 1', () => {
    const db = migrated();
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['credentials', 'file_keys', 'folders', 'master_keys', 'vault_unlock']);
    const columns = (table: string): unknown[] => db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all();
    expect(columns('folders')).toEqual(['id', 'local_path', 'settings', 'created_at', 'updated_at']);
    expect(columns('file_keys')).toEqual(['folder_id', 'object_key', 'key_id', 'master_key_id', 'created_at', 'sealed']);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  });

  it('holds exactly one unlock record, with a 32-byte check and a known KDF', () => {
    const db = migrated();
    unlockRow(db);
    expect(() => unlockRow(db, 2)).toThrow(/CHECK/);
    expect(() => unlockRow(db, 1)).toThrow(/UNIQUE|PRIMARY/);
    db.prepare('DELETE FROM vault_unlock').run();
    expect(() => unlockRow(db, 1, 1024, Buffer.alloc(31))).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO vault_unlock VALUES (1, 'argon2', 2, 8, 1, x'00', x'00', zeroblob(32), 0, 0)").run()).toThrow(/CHECK/);
    db.close();
  });

  it('ties each file key to an existing master key version, and refuses to drop a version in use', () => {
    const db = migrated();
    db.prepare("INSERT INTO master_keys VALUES ('0123456789abcdef', 1, x'00')").run();
    const insertFileKey = db.prepare("INSERT INTO file_keys VALUES ('f', ?, 'aaaaaaaaaaaaaaaa', ?, 0, x'00')");
    insertFileKey.run('a.txt', '0123456789abcdef');
    expect(() => insertFileKey.run('b.txt', 'ffffffffffffffff')).toThrow(/FOREIGN KEY/);
    expect(() => insertFileKey.run('a.txt', '0123456789abcdef')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => db.prepare("DELETE FROM master_keys WHERE id = '0123456789abcdef'").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO master_keys VALUES ('short', 1, x'00')").run()).toThrow(/CHECK/);
    db.close();
  });

  it('keeps folder paths unique and their settings valid JSON', () => {
    const db = migrated();
    const insert = db.prepare('INSERT INTO folders VALUES (?, ?, ?, 0, 0)');
    insert.run('a', '/home/u/Photos', '{"mode":"SSE-C"}');
    expect(() => insert.run('b', '/home/u/Photos', '{}')).toThrow(/UNIQUE/);
    expect(() => insert.run('c', '/home/u/Docs', '{not json')).toThrow(/CHECK/);
    db.close();
  });
});
