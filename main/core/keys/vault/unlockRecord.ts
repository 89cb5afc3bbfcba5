// The vault's unlock record: the recovery secret sealed under the passphrase's scrypt key, with the cost and salt.
import { timingSafeEqual } from 'node:crypto';
import type { SqliteDatabase } from '../../db/openDatabase.js';
import { CryptoError } from '../../crypto/cryptoError.js';
import { openKey, sealKey } from '../../crypto/keyWrap.js';
import type { RandomSource } from '../../crypto/random.js';
import { assertKdfParams, deriveUnlockKey, KDF_SALT_BYTES, type KdfParams } from './scryptKdf.js';
import { recoverySecretCheck, sealedFor } from './vaultKeys.js';
import { VaultCorruptError, WrongPassphraseError } from './vaultErrors.js';

/** Everything needed to turn a passphrase into the recovery secret; none of it is secret. */
export interface UnlockRecord {
  kdf: KdfParams;
  salt: Buffer;
  sealedSecret: Buffer;
  /** recoverySecretCheck of the secret. */
  secretCheck: Buffer;
  createdAt: number;
  updatedAt: number;
}

interface UnlockRow {
  kdf: string;
  kdf_n: number;
  kdf_r: number;
  kdf_p: number;
  kdf_salt: Buffer;
  sealed_secret: Buffer;
  secret_check: Buffer;
  created_at: number;
  updated_at: number;
}

/** The record; VaultCorruptError if it is missing or holds parameters no vault would. */
export function readUnlockRecord(db: SqliteDatabase): UnlockRecord {
  const row = db.prepare('SELECT * FROM vault_unlock WHERE id = 1').get() as UnlockRow | undefined;
  if (!row) throw new VaultCorruptError('its unlock record is missing');
  const kdf: KdfParams = { algorithm: 'scrypt', N: row.kdf_n, r: row.kdf_r, p: row.kdf_p };
  try {
    assertKdfParams(kdf);
  } catch {
    throw new VaultCorruptError('its unlock record holds impossible scrypt parameters');
  }
  if (row.kdf_salt.length !== KDF_SALT_BYTES) throw new VaultCorruptError('its unlock record holds a salt of the wrong length');
  return { kdf, salt: row.kdf_salt, sealedSecret: row.sealed_secret, secretCheck: row.secret_check, createdAt: row.created_at, updatedAt: row.updated_at };
}

export function writeUnlockRecord(db: SqliteDatabase, record: UnlockRecord): void {
  db.prepare(
    `INSERT INTO vault_unlock (id, kdf, kdf_n, kdf_r, kdf_p, kdf_salt, sealed_secret, secret_check, created_at, updated_at)
     VALUES (1, 'scrypt', ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET kdf_n = excluded.kdf_n, kdf_r = excluded.kdf_r, kdf_p = excluded.kdf_p,
       kdf_salt = excluded.kdf_salt, sealed_secret = excluded.sealed_secret, updated_at = excluded.updated_at`,
  ).run(record.kdf.N, record.kdf.r, record.kdf.p, record.salt, record.sealedSecret, record.secretCheck, record.createdAt, record.updatedAt);
}

/** A new record sealing `secret` under `passphrase`, with a fresh salt. */
export async function sealUnderPassphrase(secret: Buffer, passphrase: string, kdf: KdfParams, random: RandomSource, now: number): Promise<UnlockRecord> {
  const salt = random(KDF_SALT_BYTES);
  const unlockKey = await deriveUnlockKey(passphrase, kdf, salt);
  try {
    const sealedSecret = sealKey(unlockKey, secret, sealedFor.recoverySecret(kdf), random);
    return { kdf, salt, sealedSecret, secretCheck: recoverySecretCheck(secret), createdAt: now, updatedAt: now };
  } finally {
    unlockKey.fill(0);
  }
}

/** True when `secret` is the one this record seals (compared in constant time). */
export function isRecoverySecretOf(record: UnlockRecord, secret: Buffer): boolean {
  const check = recoverySecretCheck(secret);
  return check.length === record.secretCheck.length && timingSafeEqual(check, record.secretCheck);
}

/**
 * The recovery secret, opened with `passphrase`. WrongPassphraseError if the seal does not open
 * (a wrong passphrase and a damaged seal look the same); VaultCorruptError if it opens to a secret
 * the record's check disagrees with. `target` names the vault or the backup in messages.
 */
export async function openWithPassphrase(record: UnlockRecord, passphrase: string, target = 'the vault'): Promise<Buffer> {
  const unlockKey = await deriveUnlockKey(passphrase, record.kdf, record.salt);
  let secret: Buffer;
  try {
    secret = openKey(unlockKey, record.sealedSecret, sealedFor.recoverySecret(record.kdf));
  } catch (err) {
    if (err instanceof CryptoError) throw new WrongPassphraseError('passphrase', target);
    throw err;
  } finally {
    unlockKey.fill(0);
  }
  if (!isRecoverySecretOf(record, secret)) {
    secret.fill(0);
    throw new VaultCorruptError('its unlock record opens to a secret its check does not match');
  }
  return secret;
}
