// The vault's key hierarchy in one place: which key is derived from the recovery secret for what, and what each seal binds.
import { deriveKey } from '../../crypto/keyWrap.js';
import type { RandomSource } from '../../crypto/random.js';
import type { KdfParams } from './scryptKdf.js';

const CONTEXT = Buffer.from('v1', 'utf8');

/** Seals master key versions, in the vault and in the keyring object stored in a bucket. */
export function masterKeysKek(recoverySecret: Buffer): Buffer {
  return deriveKey(recoverySecret, 'coffer vault master keys', CONTEXT);
}

/** Seals remote store credentials. */
export function credentialsKek(recoverySecret: Buffer): Buffer {
  return deriveKey(recoverySecret, 'coffer vault credentials', CONTEXT);
}

/** Seals a backup file's contents. */
export function backupKek(recoverySecret: Buffer): Buffer {
  return deriveKey(recoverySecret, 'coffer vault backup', CONTEXT);
}

/**
 * A one-way fingerprint of the recovery secret, stored in the clear: it tells "wrong recovery key"
 * apart from "damaged vault", and reveals nothing of a 256-bit secret.
 */
export function recoverySecretCheck(recoverySecret: Buffer): Buffer {
  return deriveKey(recoverySecret, 'coffer vault recovery check', CONTEXT);
}

/** Associated data for each sealed value, so a sealed value moved to another row fails to open. */
export const sealedFor = {
  /** The KDF parameters are bound too: lowering them in the file makes the unlock fail, not weaken. */
  recoverySecret: (kdf: KdfParams): Buffer => Buffer.from(`coffer/v1/vault/recovery-secret/${kdf.algorithm}/${kdf.N}/${kdf.r}/${kdf.p}`, 'utf8'),
  /** createdAt is bound because it orders versions: a keyring edited to reorder them fails to merge. */
  masterKey: (id: string, createdAtMs: number): Buffer => Buffer.from(`coffer/v1/vault/master-key/${id}/${createdAtMs}`, 'utf8'),
  fileKey: (fileKeyId: string): Buffer => Buffer.from(`coffer/v1/vault/file-key/${fileKeyId}`, 'utf8'),
  credential: (id: string): Buffer => Buffer.from(`coffer/v1/vault/credential/${id}`, 'utf8'),
};

export const ID_PATTERN = /^[0-9a-f]{16}$/;

/** 16 lowercase hex characters from 8 random bytes. */
export function randomId(random: RandomSource): string {
  const bytes = random(8);
  if (bytes.length !== 8) throw new RangeError('random source returned the wrong length');
  return bytes.toString('hex');
}
