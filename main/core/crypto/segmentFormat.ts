// Version 1 of the at-rest stream format: constants, size math, header, identity, nonces and
// the stream key. The byte-level specification is docs/at-rest-format.md.
import { createHmac } from 'node:crypto';
import { CryptoError } from './cryptoError.js';

export const SEGMENT_PLAIN_BYTES = 65536;
export const TAG_BYTES = 16;
export const HEADER_BYTES = 32;
export const SEGMENT_CIPHER_BYTES = SEGMENT_PLAIN_BYTES + TAG_BYTES;
export const OBJECT_KEY_BYTES = 32;
export const STREAM_SALT_BYTES = 16;
export const NONCE_BYTES = 12;
export const CIPHER_NAME = 'aes-256-gcm';

const MAGIC = Buffer.from('CFRB', 'ascii');
const FORMAT_VERSION = 0x01;
const SUITE_AES_256_GCM = 0x01;
const SEGMENT_SIZE_LOG2 = 16;
const SALT_OFFSET = 8;
const UINT32_LIMIT = 2 ** 32;
const SEGMENT_KEY_LABEL = Buffer.from('coffer/v1/segment-key', 'ascii');
const IDENTITY_LABEL = Buffer.from('coffer/v1/identity', 'ascii');

/**
 * Where a stream belongs. All five fields are bound into every segment's associated data, so a
 * blob file moved under another object, upload, part or blob id fails to decrypt.
 * A single PUT (not multipart) uses uploadId '' and partNumber 0.
 */
export interface StreamIdentity {
  bucket: string;
  key: string;
  uploadId: string;
  partNumber: number;
  blobId: string;
}

export interface StreamHeader {
  /** The 16-byte random salt that, with the object key, yields this stream's key. */
  salt: Buffer;
}

function assertPlainBytes(plainBytes: number): void {
  if (!Number.isSafeInteger(plainBytes) || plainBytes < 0) {
    throw new RangeError(`plaintext length must be a non-negative safe integer, got ${plainBytes}`);
  }
}

/** Number of segments, at least 1: an empty stream is one empty final segment (just a tag). */
export function segmentCount(plainBytes: number): number {
  assertPlainBytes(plainBytes);
  const count = Math.max(1, Math.ceil(plainBytes / SEGMENT_PLAIN_BYTES));
  // The segment index travels as a uint32 in the nonce.
  if (count > UINT32_LIMIT) throw new RangeError(`plaintext of ${plainBytes} bytes needs too many segments`);
  return count;
}

/** Exact stored size: header, the plaintext, and one tag per segment. */
export function encryptedSize(plainBytes: number): number {
  return HEADER_BYTES + plainBytes + segmentCount(plainBytes) * TAG_BYTES;
}

/** Byte offset of segment `index` inside the stored blob. */
export function segmentOffset(index: number): number {
  return HEADER_BYTES + index * SEGMENT_CIPHER_BYTES;
}

/** Plaintext length of segment `index` in a stream of `plainBytes` bytes. */
export function segmentPlainLength(index: number, plainBytes: number): number {
  return Math.min(SEGMENT_PLAIN_BYTES, plainBytes - index * SEGMENT_PLAIN_BYTES);
}

/** The 32 header bytes for a stream with this salt. */
export function encodeHeader(salt: Buffer): Buffer {
  if (salt.length !== STREAM_SALT_BYTES) throw new RangeError(`stream salt must be ${STREAM_SALT_BYTES} bytes`);
  const header = Buffer.alloc(HEADER_BYTES); // reserved bytes 7 and 24..31 stay zero
  MAGIC.copy(header, 0);
  header[4] = FORMAT_VERSION;
  header[5] = SUITE_AES_256_GCM;
  header[6] = SEGMENT_SIZE_LOG2;
  salt.copy(header, SALT_OFFSET);
  return header;
}

/** Validates every fixed header field; throws CryptoError on any mismatch. */
export function parseHeader(buf: Buffer): StreamHeader {
  if (buf.length !== HEADER_BYTES) throw new CryptoError('stream header has the wrong length');
  if (!buf.subarray(0, 4).equals(MAGIC)) throw new CryptoError('stream header magic mismatch');
  if (buf[4] !== FORMAT_VERSION) throw new CryptoError('unsupported stream format version');
  if (buf[5] !== SUITE_AES_256_GCM) throw new CryptoError('unsupported stream cipher suite');
  if (buf[6] !== SEGMENT_SIZE_LOG2) throw new CryptoError('unsupported stream segment size');
  if (buf[7] !== 0 || buf.subarray(24, HEADER_BYTES).some((byte) => byte !== 0)) {
    throw new CryptoError('stream header reserved bytes are not zero');
  }
  return { salt: Buffer.from(buf.subarray(SALT_OFFSET, SALT_OFFSET + STREAM_SALT_BYTES)) };
}

/** HMAC-SHA256(object key, "coffer/v1/segment-key" || salt): a distinct key for every stream. */
export function deriveStreamKey(objectKey: Buffer, salt: Buffer): Buffer {
  if (objectKey.length !== OBJECT_KEY_BYTES) throw new RangeError(`object key must be ${OBJECT_KEY_BYTES} bytes`);
  return createHmac('sha256', objectKey).update(SEGMENT_KEY_LABEL).update(salt).digest();
}

/** Nonce: 7 zero bytes, the segment index as uint32 BE, then 0x01 for the final segment. */
export function segmentNonce(index: number, isFinal: boolean): Buffer {
  const nonce = Buffer.alloc(NONCE_BYTES);
  nonce.writeUInt32BE(index, 7);
  nonce[11] = isFinal ? 0x01 : 0x00;
  return nonce;
}

// In /u mode a paired surrogate is one code point, so this matches only lone surrogates.
const LONE_SURROGATE = /\p{Cs}/u;

function pushString(parts: Buffer[], value: string): void {
  // A lone surrogate would encode as U+FFFD and make two different names collide.
  if (LONE_SURROGATE.test(value)) throw new RangeError('identity strings must be well-formed Unicode');
  const bytes = Buffer.from(value, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length, 0);
  parts.push(length, bytes);
}

/** Unambiguous encoding: label, then bucket, key, uploadId (each uint32 BE length + UTF-8), partNumber uint32 BE, blobId. */
export function identityBytes(id: StreamIdentity): Buffer {
  if (!Number.isInteger(id.partNumber) || id.partNumber < 0 || id.partNumber >= UINT32_LIMIT) {
    throw new RangeError(`partNumber must be a uint32, got ${id.partNumber}`);
  }
  const parts: Buffer[] = [IDENTITY_LABEL];
  pushString(parts, id.bucket);
  pushString(parts, id.key);
  pushString(parts, id.uploadId);
  const part = Buffer.alloc(4);
  part.writeUInt32BE(id.partNumber, 0);
  parts.push(part);
  pushString(parts, id.blobId);
  return Buffer.concat(parts);
}

/** Associated data of every segment: the header bytes followed by the identity bytes. */
export function streamAad(header: Buffer, id: StreamIdentity): Buffer {
  return Buffer.concat([header, identityBytes(id)]);
}
