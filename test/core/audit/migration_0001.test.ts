// Audit migration 0001 on an empty file: tables, indexes for the filters, append-only triggers.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../main/core/db/migrate.js';
import { auditMigrations } from '../../../main/core/audit/migrations/index.js';

function migrated(): Database.Database {
  const db = new Database(':memory:');
  runMigrations(db, auditMigrations, 'audit');
  return db;
}

describe('audit migration 0001', () => {
  it('creates the chain, digest, checkpoint and settings tables from an empty file', () => {
    const db = migrated();
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['checkpoints', 'digests', 'events', 'settings']);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const columns = db.prepare("SELECT name FROM pragma_table_info('events')").pluck().all();
    expect(columns).toEqual([
      'seq', 'time', 'category', 'operation', 'outcome', 'request_id', 'principal', 'source_ip', 'bucket', 'object_key',
      'sse_mode', 'key_id', 'key_version', 'http_status', 'error_code', 'event_json', 'prev_hash', 'hash',
    ]);
    db.close();
  });

  it('indexes every main filter column', () => {
    const db = migrated();
    const indexed = db
      .prepare("SELECT DISTINCT ii.name FROM sqlite_master m, pragma_index_info(m.name) ii WHERE m.type = 'index' AND m.tbl_name = 'events'")
      .pluck()
      .all();
    for (const column of ['time', 'category', 'operation', 'outcome', 'bucket', 'object_key', 'principal', 'key_id', 'request_id', 'source_ip', 'error_code']) {
      expect(indexed).toContain(column);
    }
    db.close();
  });

  it('makes events, digests and checkpoints append-only (updates abort; inserts work)', () => {
    const db = migrated();
    db.prepare(
      "INSERT INTO events (seq, time, category, operation, outcome, event_json, prev_hash, hash) VALUES (1, 0, 's3', 'PutObject', 'success', '{}', x'00', x'00')",
    ).run();
    expect(() => db.prepare("UPDATE events SET operation = 'GetObject' WHERE seq = 1").run()).toThrow(/append-only/);
    db.prepare("INSERT INTO digests VALUES (1, 1, x'00', 0, x'00')").run();
    expect(() => db.prepare('UPDATE digests SET first_seq = 2').run()).toThrow(/append-only/);
    db.prepare("INSERT INTO checkpoints VALUES (1, x'00', 0, 0, x'00')").run();
    expect(() => db.prepare('UPDATE checkpoints SET seq = 2').run()).toThrow(/append-only/);
    db.prepare("INSERT INTO settings VALUES (1, '{}', x'00')").run();
    expect(() => db.prepare("UPDATE settings SET json = '[]'").run()).toThrow(/written once/);
    expect(() => db.prepare("INSERT INTO settings VALUES (2, '{}', x'00')").run()).toThrow(/CHECK/);
    db.close();
  });
});
