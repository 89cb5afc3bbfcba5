// The additional checksum algorithms S3 clients send (x-amz-checksum-*), each as an incremental hash.
//
// Algorithms and encodings: https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
// (every value travels as base64 of the big-endian digest bytes).

import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

import { crc32c } from './crc32c.js';
import { Crc64Nvme } from './crc64nvme.js';

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

/**
 * Algorithms newer S3 API versions name that this store does not compute. A request asking for one
 * is refused (501 NotImplemented) rather than silently left unchecked.
 */
export const UNSUPPORTED_CHECKSUM_ALGORITHMS: readonly string[] = ['MD5', 'SHA512', 'XXHASH64', 'XXHASH3', 'XXHASH128'];

export interface IncrementalHash {
  update(data: Buffer): void;
  /** The digest of everything passed to update(); call once. */
  digest(): Buffer;
}

/** Digest size in bytes, which fixes the length of a valid base64 value. */
export function checksumByteLength(algorithm: ChecksumAlgorithm): number {
  switch (algorithm) {
    case 'CRC32':
    case 'CRC32C':
      return 4;
    case 'CRC64NVME':
      return 8;
    case 'SHA1':
      return 20;
    case 'SHA256':
      return 32;
  }
}

/** x-amz-checksum-crc32, x-amz-checksum-crc64nvme, ... (also the trailer name). */
export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** 'crc32c' / 'CRC32C' -> 'CRC32C'; undefined for anything else. */
export function parseChecksumAlgorithm(name: string): ChecksumAlgorithm | undefined {
  const upper = name.trim().toUpperCase();
  return CHECKSUM_ALGORITHMS.find((algorithm) => algorithm === upper);
}

class Crc32Hash implements IncrementalHash {
  private value = 0;
  constructor(private readonly fn: (data: Buffer, previous: number) => number) {}
  update(data: Buffer): void {
    this.value = this.fn(data, this.value);
  }
  digest(): Buffer {
    const out = Buffer.allocUnsafe(4);
    out.writeUInt32BE(this.value >>> 0, 0);
    return out;
  }
}

/** A fresh incremental hash for `algorithm`. */
export function createChecksum(algorithm: ChecksumAlgorithm): IncrementalHash {
  switch (algorithm) {
    case 'CRC32':
      // zlib.crc32 (Node >= 20.15) continues from a previous value, in native code.
      return new Crc32Hash(crc32);
    case 'CRC32C':
      return new Crc32Hash(crc32c);
    case 'CRC64NVME':
      return new Crc64Nvme();
    case 'SHA1':
      return createHash('sha1');
    case 'SHA256':
      return createHash('sha256');
  }
}

/** One-shot checksum as S3 writes it on the wire (base64). */
export function checksumBase64(algorithm: ChecksumAlgorithm, data: Buffer): string {
  const hash = createChecksum(algorithm);
  hash.update(data);
  return hash.digest().toString('base64');
}
