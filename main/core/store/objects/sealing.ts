// Object keys: made fresh per object or upload, sealed per encryption mode, unsealed for reads.
import { randomBytes } from 'node:crypto';
import { CryptoError, createCustomerKeyProof, customerKek, customerKeyMatches, deriveKey, openBytes, openKey, sealBytes, sealKey } from '../../crypto/index.js';
import type { StoreKeyring } from '../../keys/storeKeyring.js';
import { S3Error } from '../errors.js';
import { CUSTOMER_KEY_BYTES, type CustomerKey } from '../sse/customerKeyHeaders.js';
import type { StoredEncryption } from '../sse/storedEncryption.js';

/** What a sealed object key is bound to: its bucket, key and upload ('' for a single PUT). */
export interface SealIdentity {
  bucket: string;
  key: string;
  uploadId: string;
}

/** The two modes this store seals itself (SSE-KMS goes through the KMS). */
export type SealingMode = { kind: 'SSE-S3' } | { kind: 'SSE-C'; customer: CustomerKey };

function sealContext(mode: string, id: SealIdentity): Buffer {
  return Buffer.from(`coffer/v1/object-key\u0000${JSON.stringify([mode, id.bucket, id.key, id.uploadId])}`, 'utf8');
}

export const MSG_TAMPERED = 'The requested object was modified and may be compromised';
const MSG_WRONG_CUSTOMER_KEY = 'Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.';

/** A stored object that fails authentication: 500, never wrong bytes (S3-SSE.md E29). */
export function tampered(): S3Error {
  return new S3Error('InternalError', MSG_TAMPERED);
}

export function sealObjectKey(objectKey: Buffer, mode: SealingMode, id: SealIdentity, keyring: StoreKeyring): StoredEncryption {
  if (mode.kind === 'SSE-S3') {
    const { version, key } = keyring.current();
    return { mode: 'SSE-S3', masterKeyVersion: version, sealedKey: sealKey(key, objectKey, sealContext('SSE-S3', id)).toString('base64') };
  }
  const context = sealContext('SSE-C', id);
  const proof = createCustomerKeyProof(mode.customer.key, context);
  const kek = customerKek(mode.customer.key, proof.salt, context);
  return {
    mode: 'SSE-C',
    salt: proof.salt.toString('base64'),
    verifier: proof.verifier.toString('base64'),
    sealedKey: sealKey(kek, objectKey, context).toString('base64'),
  };
}

/** A fresh random object key and its sealed form. */
export function newObjectKey(mode: SealingMode, id: SealIdentity, keyring: StoreKeyring): { objectKey: Buffer; stored: StoredEncryption } {
  const objectKey = randomBytes(32);
  return { objectKey, stored: sealObjectKey(objectKey, mode, id, keyring) };
}

/** True when `customer` is the key an SSE-C object or upload was sealed with (constant time). */
export function customerKeyFits(stored: StoredEncryption, customer: CustomerKey, id: SealIdentity): boolean {
  // Reads pass on a key of the wrong length (S3-SSE.md 4.4: 403); it cannot be the sealing key, and the verifier takes only 32 bytes.
  if (stored.mode !== 'SSE-C' || customer.key.length !== CUSTOMER_KEY_BYTES) return false;
  const proof = { salt: Buffer.from(stored.salt, 'base64'), verifier: Buffer.from(stored.verifier, 'base64') };
  return customerKeyMatches(customer.key, proof, sealContext('SSE-C', id));
}

/**
 * Unseals an object key. SSE-C: a key that fails the verifier is 403 AccessDenied (S3-SSE.md E19);
 * a key that passes it but cannot open the seal means the stored metadata was altered (500).
 */
export function unsealObjectKey(stored: StoredEncryption, id: SealIdentity, keyring: StoreKeyring, customer: CustomerKey | undefined): Buffer {
  try {
    if (stored.mode === 'SSE-S3') {
      return openKey(keyring.get(stored.masterKeyVersion), Buffer.from(stored.sealedKey, 'base64'), sealContext('SSE-S3', id));
    }
    if (!customer) throw new Error('customer key required');
    if (!customerKeyFits(stored, customer, id)) throw new S3Error('AccessDenied', MSG_WRONG_CUSTOMER_KEY);
    const context = sealContext('SSE-C', id);
    return openKey(customerKek(customer.key, Buffer.from(stored.salt, 'base64'), context), Buffer.from(stored.sealedKey, 'base64'), context);
  } catch (err) {
    if (err instanceof S3Error) throw err;
    if (err instanceof CryptoError) throw tampered();
    throw err;
  }
}

/** For SSE-C objects, checksums of the plaintext are stored sealed under the object key (S3-SSE.md 10). */
export function sealChecksumText(text: string, objectKey: Buffer, stored: StoredEncryption, id: SealIdentity): string {
  if (stored.mode !== 'SSE-C') return text;
  const kek = deriveKey(objectKey, 'coffer/v1/checksum', sealContext('SSE-C', id));
  return `sealed:${sealBytes(kek, Buffer.from(text, 'utf8'), Buffer.alloc(0)).toString('base64')}`;
}

export function openChecksumText(text: string, objectKey: Buffer, stored: StoredEncryption, id: SealIdentity): string {
  if (!text.startsWith('sealed:')) return text;
  try {
    const kek = deriveKey(objectKey, 'coffer/v1/checksum', sealContext(stored.mode, id));
    return openBytes(kek, Buffer.from(text.slice('sealed:'.length), 'base64'), Buffer.alloc(0)).toString('utf8');
  } catch {
    throw tampered();
  }
}
