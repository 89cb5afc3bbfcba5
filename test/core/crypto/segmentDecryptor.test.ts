import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../../main/core/crypto/cryptoError.js';
import {
  MAX_SEGMENTS_PER_READ,
  bufferSource,
  decryptAll,
  decryptRange,
  type CipherSource,
} from '../../../main/core/crypto/segmentDecryptor.js';
import { HEADER_BYTES, SEGMENT_CIPHER_BYTES, type StreamIdentity } from '../../../main/core/crypto/segmentFormat.js';
import { IDENTITY_A, OBJECT_KEY, encryptWhole, patternBytes } from './helpers.js';

const S = 65536;

async function collect(source: CipherSource, plainBytes: number, start: number, end: number, key = OBJECT_KEY, id = IDENTITY_A): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of decryptRange(source, key, id, plainBytes, start, end)) pieces.push(piece);
  return Buffer.concat(pieces);
}

/** A source that records every read, to prove which ciphertext a range touches. */
function countingSource(inner: CipherSource): CipherSource & { reads: Array<[position: number, length: number]> } {
  const reads: Array<[number, number]> = [];
  return { size: inner.size, reads, read: (position, length) => (reads.push([position, length]), inner.read(position, length)) };
}

describe('decryptRange returns exactly the requested slice', () => {
  for (const size of [3 * S, 3 * S + 100]) {
    it(`every range between tricky offsets of a ${size}-byte object`, async () => {
      const plain = patternBytes(size);
      const source = bufferSource(encryptWhole(plain));
      const points = new Set([0, 1, size - 1, size]);
      for (let boundary = S; boundary < size; boundary += S) for (const delta of [-1, 0, 1]) points.add(boundary + delta);
      const offsets = [...points].sort((a, b) => a - b);
      for (const start of offsets) {
        for (const end of offsets.filter((offset) => offset >= start)) {
          const got = await collect(source, size, start, end);
          expect(got.equals(plain.subarray(start, end)), `range [${start}, ${end})`).toBe(true);
        }
      }
    });
  }

  it('reads an empty object whole', async () => {
    expect((await collect(bufferSource(encryptWhole(Buffer.alloc(0))), 0, 0, 0)).length).toBe(0);
  });

  it('decryptAll returns the whole plaintext', async () => {
    const plain = patternBytes(1_000_003);
    expect((await decryptAll(bufferSource(encryptWhole(plain)), OBJECT_KEY, IDENTITY_A, plain.length)).equals(plain)).toBe(true);
  });

  it('rejects ranges outside the object with RangeError', async () => {
    const source = bufferSource(encryptWhole(patternBytes(10)));
    for (const [start, end] of [[-1, 2], [3, 2], [0, 11], [0.5, 2]] as const) {
      await expect(collect(source, 10, start, end)).rejects.toThrow(RangeError);
    }
  });
});

describe('decryptRange reads only what it needs', () => {
  const plainBytes = 1_000_003; // 16 segments, the last one partial
  const blob = encryptWhole(patternBytes(plainBytes));

  it('a range inside one segment reads the header and that segment only', async () => {
    const source = countingSource(bufferSource(blob));
    await collect(source, plainBytes, 5 * S + 10, 5 * S + 20);
    expect(source.reads).toEqual([[0, HEADER_BYTES], [HEADER_BYTES + 5 * SEGMENT_CIPHER_BYTES, SEGMENT_CIPHER_BYTES]]);
  });

  it('a range ending in the short final segment reads just its real length', async () => {
    const source = countingSource(bufferSource(blob));
    await collect(source, plainBytes, plainBytes - 1, plainBytes);
    expect(source.reads[1]).toEqual([HEADER_BYTES + 15 * SEGMENT_CIPHER_BYTES, blob.length - HEADER_BYTES - 15 * SEGMENT_CIPHER_BYTES]);
  });

  it('a zero-length range reads the header only', async () => {
    const source = countingSource(bufferSource(blob));
    expect((await collect(source, plainBytes, 7, 7)).length).toBe(0);
    expect(source.reads).toEqual([[0, HEADER_BYTES]]);
  });

  it('a long range reads contiguous batches of at most MAX_SEGMENTS_PER_READ segments', async () => {
    const M = MAX_SEGMENTS_PER_READ;
    const lastSegment = 2 * M + 7; // the range covers segments 2..lastSegment: two full batches and 6 more
    const bigBytes = (lastSegment + 1) * S + 5;
    const source = countingSource(bufferSource(encryptWhole(patternBytes(bigBytes))));
    await collect(source, bigBytes, 2 * S + 1, lastSegment * S + 3);
    const batches = source.reads.slice(1);
    expect(batches.map(([, length]) => length / SEGMENT_CIPHER_BYTES)).toEqual([M, M, 6]);
    expect(batches[0]?.[0]).toBe(HEADER_BYTES + 2 * SEGMENT_CIPHER_BYTES);
    for (const [, length] of batches) expect(length).toBeLessThanOrEqual(MAX_SEGMENTS_PER_READ * SEGMENT_CIPHER_BYTES);
  });
});

interface RejectOptions {
  start?: number;
  end?: number;
  key?: Buffer;
  id?: StreamIdentity;
  /** Which check must catch it; the message is read here only to prove the intended layer fired. */
  reason?: RegExp;
}

/** Reads [start, end) and requires a CryptoError, with every byte yielded before it authentic. */
async function expectRejected(blob: Buffer, plain: Buffer, plainBytes: number, options: RejectOptions = {}): Promise<void> {
  const { start = 0, end = plainBytes, key = OBJECT_KEY, id = IDENTITY_A, reason = /./ } = options;
  const yielded: Buffer[] = [];
  let failure: unknown;
  try {
    for await (const piece of decryptRange(bufferSource(blob), key, id, plainBytes, start, end)) yielded.push(piece);
  } catch (error) {
    failure = error;
  }
  expect(failure).toBeInstanceOf(CryptoError);
  expect((failure as Error).message).toMatch(reason);
  const prefix = Buffer.concat(yielded);
  expect(prefix.equals(plain.subarray(start, start + prefix.length))).toBe(true);
}

function flipped(blob: Buffer, offset: number): Buffer {
  const copy = Buffer.from(blob);
  copy[offset] = (copy[offset] ?? 0) ^ 0x80;
  return copy;
}

function segmentAt(blob: Buffer, index: number): Buffer {
  return blob.subarray(HEADER_BYTES + index * SEGMENT_CIPHER_BYTES, HEADER_BYTES + (index + 1) * SEGMENT_CIPHER_BYTES);
}

describe('tampering is detected', () => {
  const plainBytes = 3 * S + 100; // four segments
  const plain = patternBytes(plainBytes);
  const blob = encryptWhole(plain);
  const segment1 = HEADER_BYTES + SEGMENT_CIPHER_BYTES;
  const SIZE = /size/;
  const AUTH = /authentication/;

  it.each([
    ['magic', 0, /magic/],
    ['version', 4, /version/],
    ['reserved', 28, /reserved/],
    ['salt', 12, /authentication/], // a changed salt derives another stream key
  ])('a flipped header byte (%s)', async (_field, offset, reason) => {
    await expectRejected(flipped(blob, offset), plain, plainBytes, { reason });
    await expectRejected(flipped(blob, offset), plain, plainBytes, { start: S + 1, end: S + 2, reason });
  });

  it('a flipped ciphertext byte, by a full read and by a range inside that segment', async () => {
    await expectRejected(flipped(blob, segment1 + 1000), plain, plainBytes, { reason: AUTH });
    await expectRejected(flipped(blob, segment1 + 1000), plain, plainBytes, { start: S + 5, end: S + 6 });
  });

  it('a flipped tag byte, in a middle segment and in the final one', async () => {
    await expectRejected(flipped(blob, segment1 + SEGMENT_CIPHER_BYTES - 1), plain, plainBytes);
    await expectRejected(flipped(blob, blob.length - 1), plain, plainBytes);
  });

  it('truncation at a segment boundary, even when the declared length is forged to match', async () => {
    const cut = blob.subarray(0, HEADER_BYTES + 3 * SEGMENT_CIPHER_BYTES);
    await expectRejected(cut, plain, plainBytes, { start: 0, end: 10, reason: SIZE });
    await expectRejected(cut, plain, 3 * S, { reason: AUTH }); // segment 2 was not sealed as final
  });

  it('truncation inside a segment, even when the declared length is forged to match', async () => {
    const cut = blob.subarray(0, blob.length - 5);
    await expectRejected(cut, plain, plainBytes, { start: 0, end: 10, reason: SIZE });
    await expectRejected(cut, plain, plainBytes - 5, { reason: AUTH });
  });

  it('an extra segment appended, even when the declared length is forged to match', async () => {
    const full = patternBytes(2 * S);
    const twoSegments = encryptWhole(full);
    const extended = Buffer.concat([twoSegments, segmentAt(twoSegments, 0)]);
    await expectRejected(extended, full, 2 * S, { start: 0, end: 10, reason: SIZE });
    // Reading only segment 1 proves the final flag catches it, not the appended bytes themselves.
    await expectRejected(extended, full, 3 * S, { start: S, end: 2 * S, reason: AUTH });
  });

  it('two segments swapped', async () => {
    const swapped = Buffer.from(blob);
    segmentAt(blob, 1).copy(swapped, HEADER_BYTES);
    segmentAt(blob, 0).copy(swapped, segment1);
    await expectRejected(swapped, plain, plainBytes);
    await expectRejected(swapped, plain, plainBytes, { start: S, end: S + 10 });
  });

  it.each<[string, Partial<StreamIdentity>]>([
    ['another key name', { key: '2024/other.jpg' }],
    ['another bucket', { bucket: 'videos' }],
    ['another upload', { uploadId: 'upload-2' }],
    ['another part number', { partNumber: 1 }],
    ['another blob id', { blobId: 'blob-0002' }],
  ])('a blob read as %s', async (_case, change) => {
    await expectRejected(blob, plain, plainBytes, { id: { ...IDENTITY_A, ...change } });
  });

  it('an empty object read as another identity or with another key', async () => {
    const empty = encryptWhole(Buffer.alloc(0));
    await expectRejected(empty, Buffer.alloc(0), 0, { id: { ...IDENTITY_A, blobId: 'other' } });
    await expectRejected(empty, Buffer.alloc(0), 0, { key: Buffer.alloc(32, 1) });
  });

  it('a wrong object key', async () => {
    await expectRejected(blob, plain, plainBytes, { key: Buffer.alloc(32, 1) });
  });

  it('a source that returns fewer bytes than asked', async () => {
    const short: CipherSource = { size: blob.length, read: async (position, length) => blob.subarray(position, position + length - 1) };
    await expect(collect(short, plainBytes, 0, 10)).rejects.toThrow(CryptoError);
  });
});
