// The CiphertextBlob format: a data key sealed under one key material, naming that key and material (KMS.md).
import { createHash } from 'node:crypto';
import { CryptoError } from '../../crypto/cryptoError.js';
import { deriveKey, openBytes, sealBytes } from '../../crypto/keyWrap.js';
import type { RandomSource } from '../../crypto/random.js';
import { canonicalContext, type EncryptionContext } from './encryptionContext.js';
import { MATERIAL_ID_BYTES, keyIdBytes, keyIdFromBytes } from './identifiers.js';
import type { PlainMaterial } from './keyMaterial.js';

const BLOB_VERSION = 0x01;
const KEY_ID_BYTES = 16;
const CHECK_BYTES = 4;
/** version (1) + key id (16) + material id (32) */
const NAMES_BYTES = 1 + KEY_ID_BYTES + MATERIAL_ID_BYTES;
/** NAMES_BYTES + header check (4) */
export const BLOB_HEADER_BYTES = NAMES_BYTES + CHECK_BYTES;
/** keyWrap.sealBytes of a 32-byte key: version (1) + nonce (12) + key (32) + tag (16). */
const SEALED_DATA_KEY_BYTES = 61;
export const BLOB_BYTES = BLOB_HEADER_BYTES + SEALED_DATA_KEY_BYTES;

const KEK_LABEL = 'coffer/v1/kms-data-key';

/** Which key and which of its materials sealed a blob: all Decrypt needs to find the material. */
export interface BlobHeader {
  keyId: string;
  materialId: string;
}

/**
 * An unkeyed check over the header. It is not a security measure (the AEAD tag authenticates
 * the header through the AAD); it lets a garbled blob fail as InvalidCiphertextException rather
 * than as "key does not exist" when the damage happens to hit the key id bytes.
 */
function headerCheck(names: Buffer): Buffer {
  return createHash('sha256').update(names).digest().subarray(0, CHECK_BYTES);
}

/** A subkey per (material, key, material id): the material itself never keys AES directly. */
function dataKeyKek(material: PlainMaterial, names: Buffer): Buffer {
  return deriveKey(material, KEK_LABEL, names.subarray(1));
}

function aad(header: Buffer, context: EncryptionContext): Buffer {
  // The header has a fixed length, so header || context cannot be split two ways.
  return Buffer.concat([header, canonicalContext(context)]);
}

export function sealDataKey(
  header: BlobHeader,
  material: PlainMaterial,
  dataKey: Buffer,
  context: EncryptionContext,
  random?: RandomSource,
): Buffer {
  const names = Buffer.concat([Buffer.of(BLOB_VERSION), keyIdBytes(header.keyId), Buffer.from(header.materialId, 'hex')]);
  const full = Buffer.concat([names, headerCheck(names)]);
  return Buffer.concat([full, sealBytes(dataKeyKek(material, names), dataKey, aad(full, context), random)]);
}

/** Reads the header; undefined when the blob is not one of ours (wrong size, version or check). */
export function readBlobHeader(blob: Uint8Array): BlobHeader | undefined {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length !== BLOB_BYTES || bytes[0] !== BLOB_VERSION) return undefined;
  const names = bytes.subarray(0, NAMES_BYTES);
  if (!headerCheck(names).equals(bytes.subarray(NAMES_BYTES, BLOB_HEADER_BYTES))) return undefined;
  return {
    keyId: keyIdFromBytes(bytes.subarray(1, 1 + KEY_ID_BYTES)),
    materialId: bytes.subarray(1 + KEY_ID_BYTES, NAMES_BYTES).toString('hex'),
  };
}

/** CryptoError when the context differs from the one sealed with, or any byte was changed. */
export function openDataKey(blob: Uint8Array, material: PlainMaterial, context: EncryptionContext): Buffer {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (readBlobHeader(bytes) === undefined) throw new CryptoError('not a ciphertext blob of this KMS');
  const header = bytes.subarray(0, BLOB_HEADER_BYTES);
  const dataKey = openBytes(dataKeyKek(material, bytes.subarray(0, NAMES_BYTES)), bytes.subarray(BLOB_HEADER_BYTES), aad(header, context));
  if (dataKey.length !== 32) throw new CryptoError('sealed value is not a 32-byte key');
  return dataKey;
}
