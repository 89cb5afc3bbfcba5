// Shared fixtures for the crypto tests: a seeded PRNG, identities, and whole-blob encryption.
import { SegmentEncryptor } from '../../../main/core/crypto/segmentEncryptor.js';
import type { StreamIdentity } from '../../../main/core/crypto/segmentFormat.js';
import type { RandomSource } from '../../../main/core/crypto/random.js';

/** Deterministic 32-bit PRNG (mulberry32) so failing chunkings reproduce. */
export function seededPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic bytes, cheap to build for megabyte-sized fixtures. */
export function patternBytes(length: number, seed = 1): Buffer {
  const buf = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i += 1) buf[i] = (i * 31 + seed * 7 + (i >>> 8)) & 0xff;
  return buf;
}

/** A RandomSource that returns the given bytes, in order, once each. */
export function scriptedRandom(...outputs: Buffer[]): RandomSource {
  const queue = [...outputs];
  return (byteLength) => {
    const next = queue.shift();
    if (next === undefined || next.length !== byteLength) throw new Error(`unexpected random request of ${byteLength} bytes`);
    return Buffer.from(next);
  };
}

export const IDENTITY_A: StreamIdentity = {
  bucket: 'photos',
  key: '2024/holiday.jpg',
  uploadId: '',
  partNumber: 0,
  blobId: 'blob-0001',
};

export const OBJECT_KEY = Buffer.alloc(32, 0x5a);

/** Encrypts `plain`, feeding it in the given chunk sizes (cycled), and returns the whole blob. */
export function encryptWhole(
  plain: Buffer,
  key: Buffer = OBJECT_KEY,
  identity: StreamIdentity = IDENTITY_A,
  chunkSizes: number[] = [plain.length || 1],
  random?: RandomSource,
): Buffer {
  const encryptor = new SegmentEncryptor(key, identity, plain.length, random);
  const pieces = [encryptor.header()];
  let offset = 0;
  for (let i = 0; offset < plain.length; i += 1) {
    const size = chunkSizes[i % chunkSizes.length] ?? 1;
    pieces.push(...encryptor.update(plain.subarray(offset, offset + size)));
    offset += size;
  }
  pieces.push(...encryptor.final());
  return Buffer.concat(pieces);
}
