// URI encoding exactly as SigV4 defines it, plus the byte-level percent-decoding the canonical forms start from.
//
// "UriEncode" in https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html:
// every byte except the unreserved characters A-Z a-z 0-9 - _ . ~ becomes %XY with upper-case hex;
// a space is %20 (never +); the slash is kept only in the object key path.
// Decoding works on bytes, not on JavaScript strings, so a key that is not valid UTF-8 still
// round-trips to exactly the bytes the client escaped.

const HEX = '0123456789ABCDEF';

/** For each byte value, its encoded form ('' means "unreserved, copy as is"). */
const ENCODED: readonly string[] = Array.from({ length: 256 }, (_, byte) => {
  const unreserved =
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || byte === 0x5f || byte === 0x2e || byte === 0x7e; // - _ . ~
  return unreserved ? '' : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
});

/** AWS UriEncode of raw bytes; `keepSlash` leaves '/' unescaped (object key paths only). */
export function uriEncodeBytes(bytes: Uint8Array, keepSlash: boolean): string {
  let out = '';
  for (const byte of bytes) {
    if (keepSlash && byte === 0x2f) out += '/';
    else out += ENCODED[byte] || String.fromCharCode(byte);
  }
  return out;
}

/** AWS UriEncode of a string's UTF-8 bytes. */
export function uriEncode(text: string, keepSlash = false): string {
  return uriEncodeBytes(Buffer.from(text, 'utf8'), keepSlash);
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * Percent-decodes to bytes. A '%' not followed by two hex digits stays a literal '%', as lenient
 * servers do. With `plusAsSpace`, '+' means a space (the query-string convention that
 * URLSearchParams, and therefore the router, applies); in a path '+' is a literal plus.
 */
export function percentDecode(text: string, plusAsSpace: boolean): Buffer {
  if (!text.includes('%') && !(plusAsSpace && text.includes('+'))) return Buffer.from(text, 'utf8');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x25 && i + 2 < text.length) {
      const high = hexValue(text.charCodeAt(i + 1));
      const low = hexValue(text.charCodeAt(i + 2));
      if (high >= 0 && low >= 0) {
        bytes.push((high << 4) | low);
        i += 2;
        continue;
      }
    }
    if (code === 0x2b && plusAsSpace) {
      bytes.push(0x20);
    } else if (code < 0x80) {
      bytes.push(code);
    } else {
      // A raw non-ASCII character (not valid in a request target, but be exact about it): its UTF-8 bytes.
      const end = code >= 0xd800 && code <= 0xdbff ? i + 2 : i + 1;
      for (const byte of Buffer.from(text.slice(i, end), 'utf8')) bytes.push(byte);
      i = end - 1;
    }
  }
  return Buffer.from(bytes);
}
