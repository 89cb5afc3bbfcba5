// The vault's master key versions: random ids, sealed under the recovery-secret-derived key, newest by (createdAt, id) is current.
import type { SqliteDatabase } from '../../db/openDatabase.js';
import { CryptoError } from '../../crypto/cryptoError.js';
import { openKey, sealKey } from '../../crypto/keyWrap.js';
import type { RandomSource } from '../../crypto/random.js';
import { NoMasterKeyError, UnknownMasterKeyError, VaultCorruptError } from './vaultErrors.js';
import { randomId, sealedFor } from './vaultKeys.js';
import type { MasterKey, MasterKeyInfo } from './vaultTypes.js';

const MASTER_KEY_BYTES = 32;

/** A stored version as it sits in the file (and in keyring objects and backups): safe to store. */
export interface SealedMasterKey {
  id: string;
  createdAt: number;
  sealed: Buffer;
}

const ORDER = 'ORDER BY created_at, id';

/** Lists versions, locked or not: ids and times are not secret. */
export function listMasterKeys(db: SqliteDatabase): MasterKeyInfo[] {
  const rows = db.prepare(`SELECT id, created_at FROM master_keys ${ORDER}`).all() as { id: string; created_at: number }[];
  return rows.map((row, i) => ({ id: row.id, createdAt: new Date(row.created_at), current: i === rows.length - 1 }));
}

export function sealedMasterKeys(db: SqliteDatabase): SealedMasterKey[] {
  const rows = db.prepare(`SELECT id, created_at, sealed FROM master_keys ${ORDER}`).all() as { id: string; created_at: number; sealed: Buffer }[];
  return rows.map((row) => ({ id: row.id, createdAt: row.created_at, sealed: row.sealed }));
}

export function insertSealedMasterKey(db: SqliteDatabase, version: SealedMasterKey): void {
  db.prepare('INSERT INTO master_keys (id, created_at, sealed) VALUES (?, ?, ?)').run(version.id, version.createdAt, version.sealed);
}

/** Opens one stored version under `kek`; CryptoError if it does not authenticate. */
export function unsealMasterKey(kek: Buffer, version: SealedMasterKey): MasterKey {
  return openKey(kek, version.sealed, sealedFor.masterKey(version.id, version.createdAt)) as MasterKey;
}

/**
 * An unlocked view of the versions. Versions are read from the file on each use, so a rotation
 * made by another process (the CLI beside a running agent) takes effect at once; opened keys are
 * cached until wipe().
 */
export class MasterKeyring {
  private readonly opened = new Map<string, MasterKey>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly kek: Buffer,
    private readonly random: RandomSource,
    private readonly now: () => Date,
  ) {}

  /** The newest version; NoMasterKeyError when there is none. */
  current(): { id: string; createdAt: Date; key: MasterKey } {
    const row = this.db.prepare(`SELECT id, created_at, sealed FROM master_keys ORDER BY created_at DESC, id DESC LIMIT 1`).get() as
      | { id: string; created_at: number; sealed: Buffer }
      | undefined;
    if (!row) throw new NoMasterKeyError();
    return { id: row.id, createdAt: new Date(row.created_at), key: this.open({ id: row.id, createdAt: row.created_at, sealed: row.sealed }) };
  }

  /** One version by id; UnknownMasterKeyError if absent, VaultCorruptError if its seal fails. */
  get(id: string): MasterKey {
    const cached = this.opened.get(id);
    if (cached) return cached;
    const row = this.db.prepare('SELECT created_at, sealed FROM master_keys WHERE id = ?').get(id) as { created_at: number; sealed: Buffer } | undefined;
    if (!row) throw new UnknownMasterKeyError(id);
    return this.open({ id, createdAt: row.created_at, sealed: row.sealed });
  }

  /** Opens every version, so damage is found at unlock rather than at first use. */
  openAll(): number {
    const versions = sealedMasterKeys(this.db);
    for (const version of versions) this.open(version);
    return versions.length;
  }

  /**
   * Adds a new newest version (call inside a transaction). Its time is at least one millisecond
   * after the newest existing one, so it sorts last even if the clock stepped back.
   */
  add(): { id: string; createdAt: Date; key: MasterKey } {
    const newest = this.db.prepare('SELECT max(created_at) FROM master_keys').pluck().get() as number | null;
    const createdAt = Math.max(this.now().getTime(), (newest ?? -1) + 1);
    const id = randomId(this.random);
    const key = this.random(MASTER_KEY_BYTES) as MasterKey;
    if (key.length !== MASTER_KEY_BYTES) throw new RangeError('random source returned the wrong length');
    insertSealedMasterKey(this.db, { id, createdAt, sealed: sealKey(this.kek, key, sealedFor.masterKey(id, createdAt), this.random) });
    this.opened.set(id, key);
    return { id, createdAt: new Date(createdAt), key };
  }

  /** Zero-fills every opened key. */
  wipe(): void {
    for (const key of this.opened.values()) key.fill(0);
    this.opened.clear();
  }

  private open(version: SealedMasterKey): MasterKey {
    const cached = this.opened.get(version.id);
    if (cached) return cached;
    let key: MasterKey;
    try {
      key = unsealMasterKey(this.kek, version);
    } catch (err) {
      if (err instanceof CryptoError) throw new VaultCorruptError(`master key version ${version.id} fails authentication`, { cause: err });
      throw err;
    }
    this.opened.set(version.id, key);
    return key;
  }
}
