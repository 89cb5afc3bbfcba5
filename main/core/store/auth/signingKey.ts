// Derives the SigV4 signing key, with a small bounded cache because one key serves a whole day of requests.
//
// Follows "Calculating a signature" in
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html:
//   kDate = HMAC("AWS4" + secret, yyyymmdd); kRegion = HMAC(kDate, region);
//   kService = HMAC(kRegion, service); kSigning = HMAC(kService, "aws4_request").

import { hmacSha256 } from './signatures.js';

/** Entries kept; a store has few keys and few regions, so this only bounds memory against odd clients. */
const MAX_CACHED_KEYS = 64;

// Derived keys only: they are as sensitive as the secret for one day and must never be logged.
const cache = new Map<string, Buffer>();

/**
 * The signing key for one (secret, date, region, service). The returned Buffer is shared with the
 * cache: callers must treat it as read-only.
 */
export function deriveSigningKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  // NUL cannot occur in any of the parts (they come from header text), so the key is unambiguous.
  const cacheKey = `${date}\0${region}\0${service}\0${secretAccessKey}`;
  const hit = cache.get(cacheKey);
  if (hit !== undefined) {
    // Refresh recency so the oldest unused entry is the one evicted.
    cache.delete(cacheKey);
    cache.set(cacheKey, hit);
    return hit;
  }
  const kDate = hmacSha256(`AWS4${secretAccessKey}`, date);
  const kRegion = hmacSha256(kDate, region);
  const kService = hmacSha256(kRegion, service);
  const kSigning = hmacSha256(kService, 'aws4_request');
  cache.set(cacheKey, kSigning);
  if (cache.size > MAX_CACHED_KEYS) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  return kSigning;
}

/** Number of cached keys (for tests of the bound). */
export function cachedSigningKeyCount(): number {
  return cache.size;
}
