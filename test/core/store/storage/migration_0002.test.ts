import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../../main/core/db/migrate.js';
import { storeMigrations } from '../../../../main/core/store/storage/migrations/index.js';

describe('store migration 0002', () => {
  it('adds a policy and blocked encryption types to existing buckets, keeping their rows', () => {
    const db = new Database(':memory:');
    runMigrations(db, storeMigrations.slice(0, 1), 'store');
    db.prepare("INSERT INTO buckets (name, created_at, encryption) VALUES ('old', 1, '{\"algorithm\":\"AES256\"}')").run();
    runMigrations(db, storeMigrations.slice(0, 2), 'store');
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare("SELECT name, created_at, encryption, policy, blocked_encryption_types FROM buckets WHERE name = 'old'").get()).toEqual({
      name: 'old',
      created_at: 1,
      encryption: '{"algorithm":"AES256"}',
      policy: null,
      blocked_encryption_types: '[]',
    });
    db.close();
  });
});
