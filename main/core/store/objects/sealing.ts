// Object keys: made fresh per object or upload, sealed per encryption mode, unsealed for reads.
import { randomBytes } from 'node:crypto';
import { CryptoError, createCustomerKeyProof, customerKek, customerKeyMatches, deriveKey, openBytes, openKey, sealBytes, sealKey } from '../../crypto/index.js';
import type { KmsActor, LocalKms } from '../../keys/kms/index.js';
import type { StoreKeyring } from '../../keys/storeKeyring.js';
import { S3Error } from '../errors.js';
import { CUSTOMER_KEY_BYTES, type CustomerKey } from '../sse/customerKeyHeaders.js';
import { kmsEncryptionContext, type ClientContext } from '../sse/kmsContext.js';
import type { SseKmsSealed, StoredEncryption } from '../sse/storedEncryption.js';
import { fromKmsError } from './kmsErrors.js';
import { tampered } from './tampered.js';

/** What a sealed object key is bound to: its bucket, key and upload ('' for a single PUT). */
export interface SealIdentity {
  bucket: string;
  key: string;
  uploadId: string;
}

/** How a new object's key is to be sealed, once the request and the bucket default are resolved. */
export type SealingMode =
  | { kind: 'SSE-S3' }
  | { kind: 'SSE-C'; customer: CustomerKey }
  | { kind: 'SSE-KMS'; algorithm: 'aws:kms'; keyArn: string; context: ClientContext | undefined; bucketKey: boolean };

/** The key sources sealing draws on, and who is asking (for the KMS's audit events). */
export interface KeySources {
  keyring: StoreKeyring;
  kms: LocalKms;
  actor: KmsActor;
}

function sealContext(mode: string, id: SealIdentity): Buffer {
  return Buffer.from(`coffer/v1/object-key\u0000${JSON.stringify([mode, id.bucket, id.key, id.uploadId])}`, 'utf8');
}

export const MSG_WRONG_CUSTOMER_KEY = 'Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.';

function kmsContextOf(stored: Pick<SseKmsSealed, 'context' | 'bucketKey'>, id: SealIdentity): Record<string, string> {
  const client = stored.context ? (JSON.parse(Buffer.from(stored.context, 'base64').toString('utf8')) as Record<string, string>) : undefined;
  return kmsEncryptionContext(id.bucket, id.key, stored.bucketKey, client);
}

function sealWithKms(objectKey: Buffer, mode: Extract<SealingMode, { kind: 'SSE-KMS' }>, id: SealIdentity, keys: KeySources): SseKmsSealed {
  const shape = { context: mode.context?.raw ?? null, bucketKey: mode.bucketKey };
  let dataKey;
  try {
    dataKey = keys.kms.generateDataKey({ keyId: mode.keyArn, encryptionContext: kmsContextOf(shape, id) }, keys.actor);
  } catch (err) {
    throw fromKmsError(err, 'write');
  }
  try {
    return {
      mode: 'SSE-KMS',
      algorithm: mode.algorithm,
      keyArn: dataKey.keyId,
      keyMaterialId: dataKey.keyMaterialId,
      dataKey: dataKey.ciphertextBlob.toString('base64'),
      ...shape,
      sealedKey: sealKey(dataKey.plaintext, objectKey, sealContext('SSE-KMS', id)).toString('base64'),
    };
  } finally {
    dataKey.plaintext.fill(0);
  }
}

export function sealObjectKey(objectKey: Buffer, mode: SealingMode, id: SealIdentity, keys: KeySources): StoredEncryption {
  if (mode.kind === 'SSE-S3') {
    const { version, key } = keys.keyring.current();
    return { mode: 'SSE-S3', masterKeyVersion: version, sealedKey: sealKey(key, objectKey, sealContext('SSE-S3', id)).toString('base64') };
  }
  if (mode.kind === 'SSE-KMS') return sealWithKms(objectKey, mode, id, keys);
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
export function newObjectKey(mode: SealingMode, id: SealIdentity, keys: KeySources): { objectKey: Buffer; stored: StoredEncryption } {
  const objectKey = randomBytes(32);
  return { objectKey, stored: sealObjectKey(objectKey, mode, id, keys) };
}

/** True when `customer` is the key an SSE-C object or upload was sealed with (constant time). */
export function customerKeyFits(stored: StoredEncryption, customer: CustomerKey, id: SealIdentity): boolean {
  // Reads pass on a key of the wrong length (S3-SSE.md 4.4: 403); it cannot be the sealing key, and the verifier takes only 32 bytes.
  if (stored.mode !== 'SSE-C' || customer.key.length !== CUSTOMER_KEY_BYTES) return false;
  const proof = { salt: Buffer.from(stored.salt, 'base64'), verifier: Buffer.from(stored.verifier, 'base64') };
  return customerKeyMatches(customer.key, proof, sealContext('SSE-C', id));
}

function unsealWithKms(stored: SseKmsSealed, id: SealIdentity, keys: KeySources): Buffer {
  let dataKey;
  try {
    dataKey = keys.kms.decrypt({ ciphertextBlob: Buffer.from(stored.dataKey, 'base64'), encryptionContext: kmsContextOf(stored, id) }, keys.actor);
  } catch (err) {
    throw fromKmsError(err, 'read');
  }
  try {
    return openKey(dataKey.plaintext, Buffer.from(stored.sealedKey, 'base64'), sealContext('SSE-KMS', id));
  } finally {
    dataKey.plaintext.fill(0);
  }
}

/**
 * Unseals an object key. SSE-C: a key that fails the verifier is 403 AccessDenied (S3-SSE.md E19);
 * a key that passes it but cannot open the seal means the stored metadata was altered (500).
 * SSE-KMS: the KMS's refusals become S3's KMS errors (kmsErrors.ts).
 */
export function unsealObjectKey(stored: StoredEncryption, id: SealIdentity, keys: KeySources, customer: CustomerKey | undefined): Buffer {
  try {
    if (stored.mode === 'SSE-S3') {
      return openKey(keys.keyring.get(stored.masterKeyVersion), Buffer.from(stored.sealedKey, 'base64'), sealContext('SSE-S3', id));
    }
    if (stored.mode === 'SSE-KMS') return unsealWithKms(stored, id, keys);
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

/** For SSE-C and SSE-KMS objects, checksums of the plaintext are stored sealed under the object key (S3-SSE.md 10). */
export function sealChecksumText(text: string, objectKey: Buffer, stored: StoredEncryption, id: SealIdentity): string {
  if (stored.mode === 'SSE-S3') return text;
  const kek = deriveKey(objectKey, 'coffer/v1/checksum', sealContext(stored.mode, id));
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
