// CRC-64/NVME, table-driven with slicing-by-8 on two 32-bit halves, for the x-amz-checksum-crc64nvme checksum.
//
// Parameters (NVM Express NVM Command Set, "CRC-64 NVME" in the CRC catalogue): reflected
// polynomial 0x9A6C9329AC4BC9B5, initial value and final XOR 0xFFFFFFFFFFFFFFFF, check value
// ("123456789") 0xAE8B14860A799888. S3 sends it as base64 of the 8 big-endian bytes
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html).
// JavaScript has no fast 64-bit integers (BigInt allocates), so the register is kept as two
// Uint32 halves and every table exists twice, once per half.

const POLY_HI = 0x9a6c9329;
const POLY_LO = 0xac4bc9b5;

/** TABLE_x[k * 256 + b]: half x of the CRC of byte b followed by k zero bytes. */
const TABLE_LO = new Uint32Array(8 * 256);
const TABLE_HI = new Uint32Array(8 * 256);
for (let b = 0; b < 256; b++) {
  let lo = b;
  let hi = 0;
  for (let bit = 0; bit < 8; bit++) {
    const carry = lo & 1;
    lo = (lo >>> 1) | ((hi & 1) << 31);
    hi >>>= 1;
    if (carry) {
      lo ^= POLY_LO;
      hi ^= POLY_HI;
    }
  }
  TABLE_LO[b] = lo;
  TABLE_HI[b] = hi;
}
for (let b = 0; b < 256; b++) {
  let lo = TABLE_LO[b] as number;
  let hi = TABLE_HI[b] as number;
  for (let k = 1; k < 8; k++) {
    const index = lo & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ (TABLE_LO[index] as number);
    hi = (hi >>> 8) ^ (TABLE_HI[index] as number);
    TABLE_LO[k * 256 + b] = lo;
    TABLE_HI[k * 256 + b] = hi;
  }
}

export class Crc64Nvme {
  // The register, kept inverted (initial value all ones); digest() applies the final XOR.
  private lo = 0xffffffff;
  private hi = 0xffffffff;

  update(data: Uint8Array): void {
    const tl = TABLE_LO;
    const th = TABLE_HI;
    let lo = this.lo;
    let hi = this.hi;
    let i = 0;
    const n = data.length;
    const blocks = n - (n % 8);
    while (i < blocks) {
      const a = lo ^ ((data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16) | ((data[i + 3] as number) << 24));
      const b = hi ^ ((data[i + 4] as number) | ((data[i + 5] as number) << 8) | ((data[i + 6] as number) << 16) | ((data[i + 7] as number) << 24));
      const i7 = 1792 + (a & 0xff);
      const i6 = 1536 + ((a >>> 8) & 0xff);
      const i5 = 1280 + ((a >>> 16) & 0xff);
      const i4 = 1024 + (a >>> 24);
      const i3 = 768 + (b & 0xff);
      const i2 = 512 + ((b >>> 8) & 0xff);
      const i1 = 256 + ((b >>> 16) & 0xff);
      const i0 = b >>> 24;
      lo =
        (tl[i7] as number) ^ (tl[i6] as number) ^ (tl[i5] as number) ^ (tl[i4] as number) ^
        (tl[i3] as number) ^ (tl[i2] as number) ^ (tl[i1] as number) ^ (tl[i0] as number);
      hi =
        (th[i7] as number) ^ (th[i6] as number) ^ (th[i5] as number) ^ (th[i4] as number) ^
        (th[i3] as number) ^ (th[i2] as number) ^ (th[i1] as number) ^ (th[i0] as number);
      i += 8;
    }
    while (i < n) {
      const index = (lo ^ (data[i] as number)) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ (tl[index] as number);
      hi = (hi >>> 8) ^ (th[index] as number);
      i++;
    }
    this.lo = lo;
    this.hi = hi;
  }

  /** The 8-byte big-endian checksum of everything passed to update(). */
  digest(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32BE(~this.hi >>> 0, 0);
    out.writeUInt32BE(~this.lo >>> 0, 4);
    return out;
  }
}

/** One-shot CRC-64/NVME of `data` as 8 big-endian bytes. */
export function crc64nvme(data: Uint8Array): Buffer {
  const crc = new Crc64Nvme();
  crc.update(data);
  return crc.digest();
}
