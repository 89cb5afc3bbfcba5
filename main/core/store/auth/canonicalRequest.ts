// Builds the SigV4 canonical request and string to sign exactly as S3 defines them.
//
// Source: "Task 1: Create a canonical request" in
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
//   <HTTPMethod>\n<CanonicalURI>\n<CanonicalQueryString>\n<CanonicalHeaders>\n<SignedHeaders>\n<HashedPayload>
// and, for presigned URLs, https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html.

import { createHash } from 'node:crypto';

import { percentDecode, uriEncodeBytes } from './uriEncoding.js';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * The canonical URIs a client may have signed for this raw path. S3 neither normalises the path
 * (no "." / ".." folding, no slash merging) nor double-encodes it, so the path as received is the
 * first candidate. Clients disagree on escaping, though: some send '+', '!', '*', "'", '(', ')' or
 * '~' raw yet sign them escaped, or the reverse. The second candidate decodes each segment and
 * re-encodes it with the AWS rules; literal slashes stay slashes and an escaped slash (%2F) stays
 * escaped, so both candidates name the same key and a signature can only match what the client
 * really signed.
 */
export function canonicalUriCandidates(rawPath: string): string[] {
  const asReceived = rawPath === '' ? '/' : rawPath;
  const reencoded = asReceived
    .split('/')
    .map((segment) => uriEncodeBytes(percentDecode(segment, false), false))
    .join('/');
  return reencoded === asReceived ? [asReceived] : [asReceived, reencoded];
}

/**
 * Canonical query string: each name and value decoded (with '+' as a space, as the router reads
 * it) and re-encoded with the AWS rules, sorted by name then value, joined with '&'. A parameter
 * without '=' gets an empty value. `omit` names a parameter left out (X-Amz-Signature for
 * presigned URLs).
 */
export function canonicalQueryString(rawQuery: string, omit?: string): string {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = uriEncodeBytes(percentDecode(eq < 0 ? part : part.slice(0, eq), true), false);
    if (name === omit) continue;
    const value = eq < 0 ? '' : uriEncodeBytes(percentDecode(part.slice(eq + 1), true), false);
    pairs.push([name, value]);
  }
  // Encoded text is pure ASCII, so comparing UTF-16 code units is comparing bytes, as AWS sorts.
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/** Trimall: leading and trailing blanks removed, inner runs of spaces or tabs collapsed to one space. */
export function canonicalHeaderValue(value: string | readonly string[]): string {
  const one = (text: string): string => text.replace(/[ \t]+/g, ' ').trim();
  return typeof value === 'string' ? one(value) : value.map(one).join(',');
}

export interface CanonicalParts {
  readonly method: string;
  readonly canonicalUri: string;
  readonly canonicalQuery: string;
  /** Lower-case header names in the order the client listed them in SignedHeaders. */
  readonly signedHeaders: readonly string[];
  /** Canonical (trimmed) value of each signed header, '' when absent. */
  readonly headerValues: ReadonlyMap<string, string>;
  readonly payloadHash: string;
}

export function canonicalRequest(parts: CanonicalParts): string {
  const headerLines = parts.signedHeaders.map((name) => `${name}:${parts.headerValues.get(name) ?? ''}\n`).join('');
  return [
    parts.method,
    parts.canonicalUri,
    parts.canonicalQuery,
    headerLines,
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** "Task 2: Create a string to sign": algorithm, request time, scope, hex SHA-256 of the canonical request. */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${SIGV4_ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}
