import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../../main/core/crypto/cryptoError.js';
import {
  HEADER_BYTES,
  SEGMENT_CIPHER_BYTES,
  SEGMENT_PLAIN_BYTES,
  TAG_BYTES,
  deriveStreamKey,
  encodeHeader,
  encryptedSize,
  identityBytes,
  parseHeader,
  segmentCount,
  segmentNonce,
  type StreamIdentity,
} from '../../../main/core/crypto/segmentFormat.js';
import { IDENTITY_A } from './helpers.js';

const SALT = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');

describe('constants', () => {
  it('match the documented layout', () => {
    expect([SEGMENT_PLAIN_BYTES, TAG_BYTES, HEADER_BYTES, SEGMENT_CIPHER_BYTES]).toEqual([65536, 16, 32, 65552]);
  });
});

describe('segmentCount and encryptedSize', () => {
  const cases: Array<[plain: number, segments: number, stored: number]> = [
    [0, 1, 48],
    [1, 1, 49],
    [65535, 1, 65583],
    [65536, 1, 65584],
    [65537, 2, 65601],
    [100_000, 2, 100_064],
    [3 * 65536, 3, 196_688],
    [1_000_003, 16, 1_000_291],
  ];
  it.each(cases)('%i plaintext bytes -> %i segments, %i stored bytes', (plain, segments, stored) => {
    expect(segmentCount(plain)).toBe(segments);
    expect(encryptedSize(plain)).toBe(stored);
  });

  it('rejects negative, fractional and unsafe lengths', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) expect(() => encryptedSize(bad)).toThrow(RangeError);
  });

  it('rejects lengths whose segment index would not fit a uint32', () => {
    expect(segmentCount(2 ** 32 * SEGMENT_PLAIN_BYTES)).toBe(2 ** 32);
    expect(() => segmentCount(2 ** 32 * SEGMENT_PLAIN_BYTES + 1)).toThrow(RangeError);
  });
});

describe('header', () => {
  it('encodes magic, version, suite, segment size, salt and zero reserved bytes', () => {
    const header = encodeHeader(SALT);
    expect(header.toString('hex')).toBe(
      '43465242' + '01' + '01' + '10' + '00' + SALT.toString('hex') + '0000000000000000',
    );
    expect(parseHeader(header).salt.equals(SALT)).toBe(true);
  });

  it.each([
    ['magic', 0],
    ['version', 4],
    ['cipher suite', 5],
    ['segment size', 6],
    ['reserved byte 7', 7],
    ['reserved byte 24', 24],
    ['reserved byte 31', 31],
  ])('rejects a changed %s byte with CryptoError', (_field, offset) => {
    const header = encodeHeader(SALT);
    header[offset] = (header[offset] ?? 0) ^ 0x01;
    expect(() => parseHeader(header)).toThrow(CryptoError);
  });

  it('rejects a header of the wrong length', () => {
    expect(() => parseHeader(encodeHeader(SALT).subarray(0, 31))).toThrow(CryptoError);
  });

  it('rejects a salt of the wrong length', () => {
    expect(() => encodeHeader(Buffer.alloc(15))).toThrow(RangeError);
  });
});

describe('segmentNonce', () => {
  it('puts the index big-endian in bytes 7..10 and the final flag in byte 11', () => {
    expect(segmentNonce(0, false).toString('hex')).toBe('000000000000000000000000');
    expect(segmentNonce(0x01020304, true).toString('hex')).toBe('000000000000000102030401');
  });
});

describe('deriveStreamKey', () => {
  it('differs per salt and insists on a 32-byte object key', () => {
    const key = Buffer.alloc(32, 1);
    expect(deriveStreamKey(key, SALT).equals(deriveStreamKey(key, Buffer.alloc(16)))).toBe(false);
    expect(() => deriveStreamKey(Buffer.alloc(16), SALT)).toThrow(RangeError);
  });
});

describe('identityBytes', () => {
  it('encodes label, length-prefixed strings and the part number', () => {
    const id: StreamIdentity = { bucket: 'b', key: 'é', uploadId: '', partNumber: 258, blobId: 'x' };
    expect(identityBytes(id).toString('hex')).toBe(
      Buffer.from('coffer/v1/identity').toString('hex') +
        '00000001' + '62' + // bucket "b"
        '00000002' + 'c3a9' + // key "é" (UTF-8)
        '00000000' + // uploadId ""
        '00000102' + // partNumber 258
        '00000001' + '78', // blobId "x"
    );
  });

  it('is unambiguous where a plain concatenation would not be', () => {
    const a = identityBytes({ ...IDENTITY_A, bucket: 'ab', key: 'c' });
    const b = identityBytes({ ...IDENTITY_A, bucket: 'a', key: 'bc' });
    expect(a.equals(b)).toBe(false);
  });

  it('rejects part numbers that are not uint32 and names with lone surrogates', () => {
    for (const partNumber of [-1, 1.5, 2 ** 32]) {
      expect(() => identityBytes({ ...IDENTITY_A, partNumber })).toThrow(RangeError);
    }
    expect(() => identityBytes({ ...IDENTITY_A, key: 'a\uD800' })).toThrow(RangeError);
    expect(identityBytes({ ...IDENTITY_A, key: 'a\u{1F600}' }).length).toBeGreaterThan(0);
  });
});
