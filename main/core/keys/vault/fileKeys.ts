// Per-file SSE-C keys: one random key per (folder, object), sealed under a master key version that the row names.
import type { SqliteDatabase } from '../../db/openDatabase.js';
import { CryptoError } from '../../crypto/cryptoError.js';
import { openKey, sealKey } from '../../crypto/keyWrap.js';
import type { RandomSource } from '../../crypto/random.js';
import { formatDescriptor, parseDescriptor } from './fileKeyDescriptor.js';
import type { MasterKeyring } from './masterKeyring.js';
import { FileKeyDescriptorError, VaultCorruptError } from './vaultErrors.js';
import { randomId, sealedFor } from './vaultKeys.js';
import type { FileKey, FileKeyInfo, WrappedKey } from './vaultTypes.js';

const FILE_KEY_BYTES = 32;
const DAY_MS = 86_400_000;

interface FileKeyRow {
  folder_id: string;
  object_key: string;
  key_id: string;
  master_key_id: string;
  created_at: number;
  sealed: Buffer;
}

function assertName(what: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${what} must be a non-empty string`);
}

const infoOf = (row: FileKeyRow): FileKeyInfo => ({
  folderId: row.folder_id,
  objectKey: row.object_key,
  keyId: row.key_id,
  masterKeyId: row.master_key_id,
  createdAt: new Date(row.created_at),
});

/** Counts work while locked: nothing secret is read. */
export function countFileKeys(db: SqliteDatabase): number {
  return db.prepare('SELECT count(*) FROM file_keys').pluck().get() as number;
}

export class FileKeys {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly ring: MasterKeyring,
    private readonly random: RandomSource,
    private readonly now: () => Date,
  ) {}

  /** A new key under the current master key version, replacing any stored for the object. */
  create(folderId: string, objectKey: string): { key: FileKey; descriptor: WrappedKey } {
    const minted = this.mintSealed(folderId, objectKey);
    this.upsert(folderId, objectKey, minted.keyId, minted.masterKeyId, minted.sealed);
    return { key: minted.key, descriptor: minted.descriptor };
  }

  /**
   * A new key under the current master key version, NOT stored: for re-encrypting an object, whose
   * old key must stay the vault's until the store holds the object under the new one (then
   * `store(descriptor)`). Dropping the result leaves nothing behind.
   */
  mint(folderId: string, objectKey: string): { key: FileKey; descriptor: WrappedKey } {
    const { key, descriptor } = this.mintSealed(folderId, objectKey);
    return { key, descriptor };
  }

  /** The stored key, or undefined; VaultCorruptError if its seal fails. */
  get(folderId: string, objectKey: string): FileKey | undefined {
    const row = this.row(folderId, objectKey);
    return row ? this.openRow(row) : undefined;
  }

  /** The stored key with its descriptor as it is now (after a rotation: under the newer master key). */
  getWithDescriptor(folderId: string, objectKey: string): { key: FileKey; descriptor: WrappedKey } | undefined {
    const row = this.row(folderId, objectKey);
    return row ? { key: this.openRow(row), descriptor: formatDescriptor(row.master_key_id, row.key_id, row.sealed) } : undefined;
  }

  /**
   * Opens a descriptor read from the store. FileKeyDescriptorError if it is malformed or fails
   * authentication; UnknownMasterKeyError if its master key version has not been merged here yet.
   */
  openDescriptor(descriptor: string): { key: FileKey; keyId: string; masterKeyId: string; sealed: Buffer } {
    const parsed = parseDescriptor(descriptor);
    const master = this.ring.get(parsed.masterKeyId);
    try {
      return { key: openKey(master, parsed.sealed, sealedFor.fileKey(parsed.fileKeyId)) as FileKey, keyId: parsed.fileKeyId, ...parsed };
    } catch (err) {
      if (err instanceof CryptoError) throw new FileKeyDescriptorError(`the file key wrapped under master key version ${parsed.masterKeyId} fails authentication (damaged or altered)`);
      throw err;
    }
  }

  /** Stores a descriptor for the object (replacing any key stored for it) once it proves to open. */
  store(folderId: string, objectKey: string, descriptor: string): void {
    assertName('folderId', folderId);
    assertName('objectKey', objectKey);
    const opened = this.openDescriptor(descriptor);
    opened.key.fill(0);
    this.upsert(folderId, objectKey, opened.keyId, opened.masterKeyId, opened.sealed);
  }

  delete(folderId: string, objectKey: string): boolean {
    return this.db.prepare('DELETE FROM file_keys WHERE folder_id = ? AND object_key = ?').run(folderId, objectKey).changes > 0;
  }

  /** Keys created more than `days` days ago (oldest first), optionally of one folder: candidates for per-file rotation. */
  olderThan(days: number, folderId?: string): FileKeyInfo[] {
    if (!Number.isFinite(days) || days < 0) throw new RangeError('days must be a non-negative number');
    return this.createdBefore(new Date(this.now().getTime() - days * DAY_MS), folderId);
  }

  /** Keys created strictly before `time` (oldest first), optionally of one folder. RangeError for an invalid date. */
  createdBefore(time: Date, folderId?: string): FileKeyInfo[] {
    const before = time.getTime();
    if (!Number.isFinite(before)) throw new RangeError('time must be a valid date');
    const rows = (
      folderId === undefined
        ? this.db.prepare('SELECT * FROM file_keys WHERE created_at < ? ORDER BY created_at').all(before)
        : this.db.prepare('SELECT * FROM file_keys WHERE created_at < ? AND folder_id = ? ORDER BY created_at').all(before, folderId)
    ) as FileKeyRow[];
    return rows.map(infoOf);
  }

  /**
   * Re-seals every stored key under master key version `toId` (call inside the rotation's
   * transaction). Key ids and creation times stay, so descriptors already in object tags keep
   * opening with their own versions. Returns how many were re-wrapped.
   */
  rewrapAll(toId: string): number {
    const target = this.ring.get(toId);
    // Read first: better-sqlite3 cannot write while a statement is still iterating.
    const rows = this.db.prepare('SELECT * FROM file_keys WHERE master_key_id <> ?').all(toId) as FileKeyRow[];
    const update = this.db.prepare('UPDATE file_keys SET master_key_id = ?, sealed = ? WHERE folder_id = ? AND object_key = ?');
    for (const row of rows) {
      const key = this.openRow(row);
      try {
        update.run(toId, sealKey(target, key, sealedFor.fileKey(row.key_id), this.random), row.folder_id, row.object_key);
      } finally {
        key.fill(0);
      }
    }
    return rows.length;
  }

  private mintSealed(folderId: string, objectKey: string): { key: FileKey; descriptor: WrappedKey; keyId: string; masterKeyId: string; sealed: Buffer } {
    assertName('folderId', folderId);
    assertName('objectKey', objectKey);
    const master = this.ring.current();
    const keyId = randomId(this.random);
    const key = this.random(FILE_KEY_BYTES) as FileKey;
    if (key.length !== FILE_KEY_BYTES) throw new RangeError('random source returned the wrong length');
    const sealed = sealKey(master.key, key, sealedFor.fileKey(keyId), this.random);
    return { key, descriptor: formatDescriptor(master.id, keyId, sealed), keyId, masterKeyId: master.id, sealed };
  }

  private row(folderId: string, objectKey: string): FileKeyRow | undefined {
    return this.db.prepare('SELECT * FROM file_keys WHERE folder_id = ? AND object_key = ?').get(folderId, objectKey) as FileKeyRow | undefined;
  }

  private openRow(row: FileKeyRow): FileKey {
    const master = this.ring.get(row.master_key_id);
    try {
      return openKey(master, row.sealed, sealedFor.fileKey(row.key_id)) as FileKey;
    } catch (err) {
      if (err instanceof CryptoError) throw new VaultCorruptError(`the file key of ${row.folder_id}/${row.object_key} fails authentication`, { cause: err });
      throw err;
    }
  }

  private upsert(folderId: string, objectKey: string, keyId: string, masterKeyId: string, sealed: Buffer): void {
    this.db
      .prepare(
        `INSERT INTO file_keys (folder_id, object_key, key_id, master_key_id, created_at, sealed) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (folder_id, object_key) DO UPDATE SET key_id = excluded.key_id, master_key_id = excluded.master_key_id,
           created_at = excluded.created_at, sealed = excluded.sealed`,
      )
      .run(folderId, objectKey, keyId, masterKeyId, this.now().getTime(), sealed);
  }
}
