// The SSE-S3 master keyring: versioned keys in the store database, each sealed by the root key.
import { randomBytes } from 'node:crypto';
import type { SqliteDatabase } from '../db/openDatabase.js';
import { openKey, sealKey } from '../crypto/keyWrap.js';

export interface MasterKeyVersion {
  version: number;
  createdAt: Date;
}

const DAY_MS = 86_400_000;

function sealContext(version: number): Buffer {
  return Buffer.from(`coffer/v1/store-master-key/${version}`, 'utf8');
}

/**
 * New objects are sealed with the newest version; older versions stay to unseal older objects,
 * so rotation never re-encrypts data. Versions are read from the database on each use so that a
 * rotation made by `coffer store rotate-master-key` in another process takes effect at once.
 */
export class StoreKeyring {
  private readonly unsealed = new Map<number, Buffer>();
  private readonly selectCurrent;
  private readonly selectVersion;
  private readonly insert;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly rootKey: Buffer,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.selectCurrent = db.prepare('SELECT version, sealed FROM master_keys ORDER BY version DESC LIMIT 1');
    this.selectVersion = db.prepare('SELECT sealed FROM master_keys WHERE version = ?');
    this.insert = db.prepare('INSERT INTO master_keys (version, created_at, sealed) VALUES (?, ?, ?)');
  }

  /** The version new objects are sealed with; creates version 1 on first use. */
  current(): { version: number; key: Buffer } {
    let row = this.selectCurrent.get() as { version: number; sealed: Buffer } | undefined;
    if (!row) {
      this.rotate();
      row = this.selectCurrent.get() as { version: number; sealed: Buffer };
    }
    return { version: row.version, key: this.unseal(row.version, row.sealed) };
  }

  /** The key of one version, for unsealing; throws if the version is unknown. */
  get(version: number): Buffer {
    const cached = this.unsealed.get(version);
    if (cached) return cached;
    const row = this.selectVersion.get(version) as { sealed: Buffer } | undefined;
    if (!row) throw new Error(`store master key version ${version} does not exist`);
    return this.unseal(version, row.sealed);
  }

  /** Adds a new newest version and returns its number. */
  rotate(): number {
    return this.db.transaction(() => {
      const last = this.selectCurrent.get() as { version: number } | undefined;
      const version = (last?.version ?? 0) + 1;
      const key = randomBytes(32);
      this.insert.run(version, this.now().getTime(), sealKey(this.rootKey, key, sealContext(version)));
      this.unsealed.set(version, key);
      return version;
    }).immediate();
  }

  /** Rotates when the newest version is older than `maxAgeDays`; returns the new version, if any. */
  rotateIfOlderThan(maxAgeDays: number): number | undefined {
    const newest = this.list().at(-1);
    if (newest && this.now().getTime() - newest.createdAt.getTime() < maxAgeDays * DAY_MS) return undefined;
    return this.rotate();
  }

  list(): MasterKeyVersion[] {
    const rows = this.db.prepare('SELECT version, created_at FROM master_keys ORDER BY version').all() as {
      version: number;
      created_at: number;
    }[];
    return rows.map((r) => ({ version: r.version, createdAt: new Date(r.created_at) }));
  }

  private unseal(version: number, sealed: Buffer): Buffer {
    let key = this.unsealed.get(version);
    if (!key) {
      key = openKey(this.rootKey, sealed, sealContext(version));
      this.unsealed.set(version, key);
    }
    return key;
  }
}
