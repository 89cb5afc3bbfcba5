// HMAC helpers shared by request, chunk and trailer signatures, and the constant-time comparison they all use.
//
// Chunk string to sign: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
// Trailer string to sign: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html

import { createHmac, timingSafeEqual } from 'node:crypto';

/** Hex SHA-256 of the empty string: the "previous headers" line of every chunk string to sign. */
export const EMPTY_SHA256_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function hmacSha256(key: Buffer | string, data: Buffer | string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function hmacSha256Hex(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

/**
 * Compares a computed hex signature with the one the client sent without leaking, through timing,
 * how many leading characters matched.
 */
export function sameSignature(expectedHex: string, providedHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'latin1');
  const provided = Buffer.from(providedHex, 'latin1');
  return expected.length === provided.length && timingSafeEqual(expected, provided);
}

/** AWS4-HMAC-SHA256-PAYLOAD \n date \n scope \n previous signature \n hex(sha256("")) \n hex(sha256(chunk)). */
export function chunkStringToSign(amzDate: string, scope: string, previousSignature: string, chunkSha256Hex: string): string {
  return `AWS4-HMAC-SHA256-PAYLOAD\n${amzDate}\n${scope}\n${previousSignature}\n${EMPTY_SHA256_HEX}\n${chunkSha256Hex}`;
}

/** AWS4-HMAC-SHA256-TRAILER \n date \n scope \n previous (final chunk) signature \n hex(sha256(canonical trailer)). */
export function trailerStringToSign(amzDate: string, scope: string, previousSignature: string, trailerSha256Hex: string): string {
  return `AWS4-HMAC-SHA256-TRAILER\n${amzDate}\n${scope}\n${previousSignature}\n${trailerSha256Hex}`;
}
