// CRC-32C (Castagnoli), table-driven with slicing-by-8, for the x-amz-checksum-crc32c checksum.
//
// CRC-32C as in RFC 3720 appendix B.4 (reflected polynomial 0x82F63B78, initial value and final
// XOR 0xFFFFFFFF); S3 sends it as base64 of the 4 big-endian bytes
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html).
// Slicing-by-8 (Intel's technique) folds 8 input bytes per step through 8 lookup tables, which in
// V8 runs several times faster than the byte-at-a-time loop of the @aws-crypto/crc32c package.

/** Reflected CRC-32C polynomial. */
const POLY = 0x82f63b78;

/** 8 tables of 256 entries: TABLE[k * 256 + b] is the CRC of byte b followed by k zero bytes. */
const TABLE = new Uint32Array(8 * 256);
for (let b = 0; b < 256; b++) {
  let c = b;
  for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  TABLE[b] = c;
}
for (let b = 0; b < 256; b++) {
  let c = TABLE[b] as number;
  for (let k = 1; k < 8; k++) {
    c = (TABLE[c & 0xff] as number) ^ (c >>> 8);
    TABLE[k * 256 + b] = c;
  }
}

/**
 * Continues a CRC-32C over `data`. Pass 0 to start, and the previous result to continue, exactly
 * like zlib.crc32(data, value); the result is an unsigned 32-bit number.
 */
export function crc32c(data: Uint8Array, previous = 0): number {
  const t = TABLE;
  let crc = ~previous;
  let i = 0;
  const n = data.length;
  const blocks = n - (n % 8);
  while (i < blocks) {
    const lo = crc ^ ((data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16) | ((data[i + 3] as number) << 24));
    const hi = (data[i + 4] as number) | ((data[i + 5] as number) << 8) | ((data[i + 6] as number) << 16) | ((data[i + 7] as number) << 24);
    crc =
      (t[1792 + (lo & 0xff)] as number) ^
      (t[1536 + ((lo >>> 8) & 0xff)] as number) ^
      (t[1280 + ((lo >>> 16) & 0xff)] as number) ^
      (t[1024 + (lo >>> 24)] as number) ^
      (t[768 + (hi & 0xff)] as number) ^
      (t[512 + ((hi >>> 8) & 0xff)] as number) ^
      (t[256 + ((hi >>> 16) & 0xff)] as number) ^
      (t[hi >>> 24] as number);
    i += 8;
  }
  while (i < n) {
    crc = (t[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
    i++;
  }
  return ~crc >>> 0;
}
