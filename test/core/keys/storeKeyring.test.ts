import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../main/core/db/migrate.js';
import { StoreKeyring } from '../../../main/core/keys/storeKeyring.js';
import { storeMigrations } from '../../../main/core/store/storage/migrations/index.js';
import { CryptoError } from '../../../main/core/crypto/index.js';

function db(): Database.Database {
  const d = new Database(':memory:');
  runMigrations(d, storeMigrations, 'store');
  return d;
}

const ROOT = Buffer.alloc(32, 1);

describe('StoreKeyring', () => {
  it('creates version 1 on first use and keeps every version after rotation', () => {
    const d = db();
    const keyring = new StoreKeyring(d, ROOT);
    const v1 = keyring.current();
    expect(v1.version).toBe(1);
    expect(keyring.rotate()).toBe(2);
    expect(keyring.current().version).toBe(2);
    expect(keyring.current().key.equals(v1.key)).toBe(false);
    // A fresh instance (another process) unseals the same keys from the database.
    const other = new StoreKeyring(d, ROOT);
    expect(other.get(1).equals(v1.key)).toBe(true);
    expect(other.list().map((v) => v.version)).toEqual([1, 2]);
  });

  it('stores keys sealed: the raw key bytes are nowhere in the table', () => {
    const d = db();
    const key = new StoreKeyring(d, ROOT).current().key;
    const sealed = d.prepare('SELECT sealed FROM master_keys').pluck().get() as Buffer;
    expect(sealed.includes(key)).toBe(false);
  });

  it('refuses to unseal with another root key', () => {
    const d = db();
    new StoreKeyring(d, ROOT).current();
    expect(() => new StoreKeyring(d, Buffer.alloc(32, 2)).get(1)).toThrow(CryptoError);
  });

  it('rotates on schedule only when the newest version is older than the period', () => {
    const d = db();
    let now = new Date('2026-01-01T00:00:00Z');
    const keyring = new StoreKeyring(d, ROOT, () => now);
    keyring.current();
    now = new Date('2026-03-31T00:00:00Z'); // 89 days
    expect(keyring.rotateIfOlderThan(90)).toBeUndefined();
    now = new Date('2026-04-01T00:00:00Z'); // 90 days
    expect(keyring.rotateIfOlderThan(90)).toBe(2);
    expect(keyring.rotateIfOlderThan(90)).toBeUndefined();
  });

  it('names an unknown version in its error', () => {
    expect(() => new StoreKeyring(db(), ROOT).get(9)).toThrow(/version 9/);
  });
});
