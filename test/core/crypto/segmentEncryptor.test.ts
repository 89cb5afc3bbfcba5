import { describe, expect, it } from 'vitest';
import { SegmentEncryptor } from '../../../main/core/crypto/segmentEncryptor.js';
import { decryptAll, bufferSource } from '../../../main/core/crypto/segmentDecryptor.js';
import { encryptedSize, parseHeader, TAG_BYTES } from '../../../main/core/crypto/segmentFormat.js';
import { StreamLengthError } from '../../../main/core/crypto/streamLengthError.js';
import { IDENTITY_A, OBJECT_KEY, encryptWhole, patternBytes, seededPrng } from './helpers.js';

const SIZES = [0, 1, 65535, 65536, 65537, 3 * 65536, 1_000_003];

/** Random chunk sizes mixing 1-byte chunks, small ones and chunks spanning several segments. */
function randomChunking(seed: number, total: number): number[] {
  const next = seededPrng(seed);
  const sizes: number[] = [];
  for (let covered = 0; covered < total; ) {
    const pick = next();
    const size = pick < 0.3 ? 1 : pick < 0.7 ? 1 + Math.floor(next() * 4096) : 1 + Math.floor(next() * 3 * 65536);
    sizes.push(size);
    covered += size;
  }
  return sizes;
}

async function roundTrip(plain: Buffer, chunkSizes: number[]): Promise<void> {
  const blob = encryptWhole(plain, OBJECT_KEY, IDENTITY_A, chunkSizes);
  expect(blob.length).toBe(encryptedSize(plain.length));
  const back = await decryptAll(bufferSource(blob), OBJECT_KEY, IDENTITY_A, plain.length);
  expect(back.equals(plain)).toBe(true);
}

describe('SegmentEncryptor round trips', () => {
  it.each(SIZES)('%i bytes fed whole', async (size) => {
    await roundTrip(patternBytes(size), [size || 1]);
  });

  it.each(SIZES)('%i bytes fed in random chunk sizes', async (size) => {
    for (const seed of [1, 2, 3]) await roundTrip(patternBytes(size, seed), randomChunking(seed * 7919 + size, size));
  });

  it.each([1, 65535, 65536, 65537])('%i bytes fed one byte at a time', async (size) => {
    await roundTrip(patternBytes(size), [1]);
  });

  it('1_000_003 bytes fed in 1-byte bursts between segment-spanning chunks', async () => {
    await roundTrip(patternBytes(1_000_003), [1, 1, 1, 200_000, 1, 65536, 3]);
  });
});

describe('SegmentEncryptor output', () => {
  it('emits exactly the tag for an empty stream, from final()', () => {
    const encryptor = new SegmentEncryptor(OBJECT_KEY, IDENTITY_A, 0);
    expect(encryptor.header().length).toBe(32);
    const pieces = encryptor.final();
    expect(Buffer.concat(pieces).length).toBe(TAG_BYTES);
  });

  it('returns pieces as soon as they are ready, with a tag after each full non-final segment', () => {
    const encryptor = new SegmentEncryptor(OBJECT_KEY, IDENTITY_A, 65536 + 10);
    const first = encryptor.update(patternBytes(65536));
    expect(first.map((piece) => piece.length)).toEqual([65536, TAG_BYTES]);
    expect(encryptor.update(Buffer.alloc(0))).toEqual([]);
    const second = encryptor.update(patternBytes(10));
    expect(second.map((piece) => piece.length)).toEqual([10]);
    expect(encryptor.final().map((piece) => piece.length)).toEqual([TAG_BYTES]);
  });

  it('uses a fresh salt per stream, so equal inputs give unrelated blobs', () => {
    const plain = patternBytes(100);
    const a = encryptWhole(plain);
    const b = encryptWhole(plain);
    expect(parseHeader(a.subarray(0, 32)).salt.equals(parseHeader(b.subarray(0, 32)).salt)).toBe(false);
    expect(a.subarray(32).equals(b.subarray(32))).toBe(false);
  });
});

describe('SegmentEncryptor misuse', () => {
  it('rejects an object key that is not 32 bytes', () => {
    expect(() => new SegmentEncryptor(Buffer.alloc(16), IDENTITY_A, 1)).toThrow(RangeError);
  });

  it('rejects an invalid declared length', () => {
    expect(() => new SegmentEncryptor(OBJECT_KEY, IDENTITY_A, -1)).toThrow(RangeError);
  });

  it('throws StreamLengthError when fed more than declared, consuming none of that chunk', async () => {
    const plain = patternBytes(10);
    const encryptor = new SegmentEncryptor(OBJECT_KEY, IDENTITY_A, 10);
    const pieces = [encryptor.header(), ...encryptor.update(plain.subarray(0, 6))];
    expect(() => encryptor.update(Buffer.alloc(5))).toThrow(StreamLengthError);
    pieces.push(...encryptor.update(plain.subarray(6)), ...encryptor.final());
    const back = await decryptAll(bufferSource(Buffer.concat(pieces)), OBJECT_KEY, IDENTITY_A, 10);
    expect(back.equals(plain)).toBe(true);
  });

  it('throws StreamLengthError from final() when fed fewer bytes than declared', () => {
    const encryptor = new SegmentEncryptor(OBJECT_KEY, IDENTITY_A, 10);
    encryptor.update(Buffer.alloc(9));
    expect(() => encryptor.final()).toThrow(StreamLengthError);
  });

  it('refuses use after final()', () => {
    const encryptor = new SegmentEncryptor(OBJECT_KEY, IDENTITY_A, 0);
    encryptor.final();
    expect(() => encryptor.final()).toThrow(Error);
    expect(() => encryptor.update(Buffer.alloc(0))).toThrow(Error);
  });
});
