// Remote store credentials: an access key pair per credential id, sealed whole under a recovery-secret-derived key.
import type { SqliteDatabase } from '../../db/openDatabase.js';
import { CryptoError } from '../../crypto/cryptoError.js';
import { openBytes, sealBytes } from '../../crypto/keyWrap.js';
import type { RandomSource } from '../../crypto/random.js';
import { VaultCorruptError } from './vaultErrors.js';
import { sealedFor } from './vaultKeys.js';
import type { RemoteCredential } from './vaultTypes.js';

function assertCredential(id: string, credential: RemoteCredential): void {
  if (typeof id !== 'string' || id.length === 0) throw new TypeError('a credential id must be a non-empty string');
  if (typeof credential?.accessKeyId !== 'string' || credential.accessKeyId.length === 0) throw new TypeError('accessKeyId must be a non-empty string');
  if (typeof credential.secretAccessKey !== 'string' || credential.secretAccessKey.length === 0) throw new TypeError('secretAccessKey must be a non-empty string');
}

/** Credential ids, locked or not. */
export function listCredentialIds(db: SqliteDatabase): string[] {
  return db.prepare('SELECT id FROM credentials ORDER BY id').pluck().all() as string[];
}

export class Credentials {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly kek: Buffer,
    private readonly random: RandomSource,
    private readonly now: () => Date,
  ) {}

  /** Adds or replaces the credential under `id`. TypeError for an empty id or field. */
  put(id: string, credential: RemoteCredential): void {
    assertCredential(id, credential);
    const plain = Buffer.from(JSON.stringify({ accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey }), 'utf8');
    const sealed = sealBytes(this.kek, plain, sealedFor.credential(id), this.random);
    plain.fill(0);
    const now = this.now().getTime();
    this.db
      .prepare(
        `INSERT INTO credentials (id, sealed, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
      )
      .run(id, sealed, now, now);
  }

  /** The credential, or undefined; VaultCorruptError if its seal fails. */
  get(id: string): RemoteCredential | undefined {
    const sealed = this.db.prepare('SELECT sealed FROM credentials WHERE id = ?').pluck().get(id) as Buffer | undefined;
    if (!sealed) return undefined;
    let plain: Buffer;
    try {
      plain = openBytes(this.kek, sealed, sealedFor.credential(id));
    } catch (err) {
      if (err instanceof CryptoError) throw new VaultCorruptError(`credential ${id} fails authentication`, { cause: err });
      throw err;
    }
    try {
      const parsed = JSON.parse(plain.toString('utf8')) as RemoteCredential;
      return { accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey };
    } finally {
      plain.fill(0);
    }
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM credentials WHERE id = ?').run(id).changes > 0;
  }
}
