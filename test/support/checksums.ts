// Test support: S3's flexible checksums computed independently of the store (node:zlib, @aws-crypto/crc32c, a bitwise CRC64-NVME).
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { crc32c } from '@aws-crypto/crc32c';

export type Algorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

export const ALGORITHMS: readonly Algorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

/** CRC-64/NVME, bit by bit: reflected polynomial 0x9a6c9329ac4bc9b5, init and xorout all ones. Slow, for small test bodies. */
function crc64nvme(data: Buffer): Buffer {
  const poly = 0x9a6c9329ac4bc9b5n;
  const mask = 0xffffffffffffffffn;
  let crc = mask;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let i = 0; i < 8; i++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(crc ^ mask);
  return out;
}

export function checksumBytes(algorithm: Algorithm, data: Buffer): Buffer {
  switch (algorithm) {
    case 'CRC32':
      return u32(crc32(data));
    case 'CRC32C':
      return u32(crc32c(data));
    case 'CRC64NVME':
      return crc64nvme(data);
    case 'SHA1':
      return createHash('sha1').update(data).digest();
    case 'SHA256':
      return createHash('sha256').update(data).digest();
  }
}

/** Base64, as S3 sends it in x-amz-checksum-<algorithm>. */
export function checksumOf(algorithm: Algorithm, data: Buffer): string {
  return checksumBytes(algorithm, data).toString('base64');
}

/** The SDK input / output member for an algorithm's value: ChecksumCRC32, ChecksumSHA256, ... */
export function checksumMember(algorithm: Algorithm): `Checksum${Algorithm}` {
  return `Checksum${algorithm}`;
}
