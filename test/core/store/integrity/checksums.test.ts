// Checksum algorithms against published vectors, independent references and incremental use.
import { createHash, randomBytes } from 'node:crypto';

import { Crc32c as ReferenceCrc32c } from '@aws-crypto/crc32c';
import { describe, expect, it } from 'vitest';

import {
  CHECKSUM_ALGORITHMS,
  Crc64Nvme,
  checksumBase64,
  checksumByteLength,
  checksumHeaderName,
  crc32c,
  crc64nvme,
  createChecksum,
  parseChecksumAlgorithm,
} from '../../../../main/core/store/integrity/index.js';
import { randomSplit, rng } from '../auth/chunkedBodies.js';

const CHECK = Buffer.from('123456789');

/** Bit-at-a-time CRC-64/NVME with BigInt, written straight from the definition, as an independent reference. */
function referenceCrc64(data: Buffer): bigint {
  const poly = 0x9a6c9329ac4bc9b5n;
  const mask = 0xffffffffffffffffn;
  let crc = mask;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc ^ mask;
}

describe('CRC-32C', () => {
  it('matches the RFC 3720 B.4 vectors and the check value', () => {
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
    expect(crc32c(CHECK)).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('agrees with @aws-crypto/crc32c on random data, whole and in random pieces', () => {
    const random = rng(11);
    for (const size of [1, 7, 8, 9, 63, 4096, 100_001]) {
      const data = randomBytes(size);
      const reference = new ReferenceCrc32c().update(data).digest();
      expect(crc32c(data)).toBe(reference);
      let running = 0;
      for (const piece of randomSplit(data, random, 37)) running = crc32c(piece, running);
      expect(running).toBe(reference);
    }
  });
});

describe('CRC-64/NVME', () => {
  it('has the catalogue check value 0xAE8B14860A799888', () => {
    expect(crc64nvme(CHECK).toString('hex')).toBe('ae8b14860a799888');
    expect(crc64nvme(Buffer.alloc(0)).toString('hex')).toBe('0000000000000000');
  });

  it('agrees with a bit-at-a-time reference, whole and in random pieces', () => {
    const random = rng(12);
    for (const size of [1, 8, 15, 16, 17, 1000, 20_000]) {
      const data = randomBytes(size);
      const expected = referenceCrc64(data).toString(16).padStart(16, '0');
      expect(crc64nvme(data).toString('hex')).toBe(expected);
      const crc = new Crc64Nvme();
      for (const piece of randomSplit(data, random, 13)) crc.update(piece);
      expect(crc.digest().toString('hex')).toBe(expected);
    }
  });
});

describe('checksum algorithms', () => {
  it('produce S3 wire values for known inputs', () => {
    expect(checksumBase64('CRC32', CHECK)).toBe(Buffer.from('cbf43926', 'hex').toString('base64'));
    expect(checksumBase64('CRC32C', CHECK)).toBe(Buffer.from('e3069283', 'hex').toString('base64'));
    expect(checksumBase64('CRC64NVME', CHECK)).toBe(Buffer.from('ae8b14860a799888', 'hex').toString('base64'));
    expect(checksumBase64('SHA1', Buffer.from('abc'))).toBe('qZk+NkcGgWq6PiVxeFDCbJzQ2J0=');
    expect(checksumBase64('SHA256', Buffer.from('abc'))).toBe(createHash('sha256').update('abc').digest('base64'));
    // The CRC32C of the AWS trailer example body (66560 bytes of 'a').
    expect(checksumBase64('CRC32C', Buffer.alloc(66_560, 'a'))).toBe('sOO8/Q==');
  });

  it('are incremental: any split gives the one-shot digest', () => {
    const data = randomBytes(50_000);
    const random = rng(13);
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const hash = createChecksum(algorithm);
      for (const piece of randomSplit(data, random, 3000)) hash.update(piece);
      const digest = hash.digest();
      expect(digest.toString('base64')).toBe(checksumBase64(algorithm, data));
      expect(digest.length).toBe(checksumByteLength(algorithm));
    }
  });

  it('name their headers and parse algorithm names', () => {
    expect(CHECKSUM_ALGORITHMS.map(checksumHeaderName)).toEqual([
      'x-amz-checksum-crc32',
      'x-amz-checksum-crc32c',
      'x-amz-checksum-crc64nvme',
      'x-amz-checksum-sha1',
      'x-amz-checksum-sha256',
    ]);
    expect(parseChecksumAlgorithm('crc64nvme')).toBe('CRC64NVME');
    expect(parseChecksumAlgorithm('md5')).toBeUndefined();
  });
});
