// Crockford's base32 (https://www.crockford.com/base32.html): digits and letters without I, L, O, U.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Decoding folds case and reads the letters people confuse with digits as those digits. */
const DECODE = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));
for (const [alias, digit] of [['O', 0], ['I', 1], ['L', 1]] as const) DECODE.set(alias, digit);

/** Big-endian bits, 5 to a character; the last character is padded with zero bits. */
export function encodeBase32(bytes: Buffer): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Characters needed for `byteLength` bytes. */
export function base32Length(byteLength: number): number {
  return Math.ceil((byteLength * 8) / 5);
}

/**
 * Decodes exactly `byteLength` bytes from `text` (upper or lower case, O/I/L read as 0/1/1).
 * Returns the 1-based position of the first character that is not base32 instead of bytes, so a
 * caller can point at it without echoing it; a wrong length or non-zero padding bits are also
 * reported as a position (the last character).
 */
export function decodeBase32(text: string, byteLength: number): Buffer | { badPosition: number } {
  const out = Buffer.alloc(byteLength);
  let buffer = 0;
  let bits = 0;
  let written = 0;
  for (let i = 0; i < text.length; i += 1) {
    const value = DECODE.get(text[i]!.toUpperCase());
    if (value === undefined) return { badPosition: i + 1 };
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      if (written === byteLength) return { badPosition: i + 1 };
      out[written] = (buffer >> (bits - 8)) & 0xff;
      written += 1;
      bits -= 8;
    }
  }
  if (written !== byteLength || bits >= 5 || (buffer & ((1 << bits) - 1)) !== 0) return { badPosition: text.length };
  return out;
}
