// Splits a raw request target into path and query, and reads values that may arrive as a header or as a signed query parameter.

import type { IncomingHttpHeaders } from 'node:http';

import type { AuthContext } from './authContext.js';
import { percentDecode } from './uriEncoding.js';

export interface RequestTarget {
  /** The path exactly as received, still percent-encoded ('' becomes '/'). */
  readonly rawPath: string;
  /** Everything after the first '?', still percent-encoded ('' when there is none). */
  readonly rawQuery: string;
}

/** Accepts origin-form ("/b/k?x") and, from proxies, absolute-form ("http://host/b/k?x") targets. */
export function splitTarget(url: string): RequestTarget {
  let target = url;
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?]*/.exec(target);
  if (scheme !== null) target = target.slice(scheme[0].length);
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  return { rawPath: rawPath === '' ? '/' : rawPath, rawQuery };
}

/**
 * Decoded query parameters in order, with '+' read as a space (the URLSearchParams convention).
 * A parameter without '=' has the value ''. Invalid UTF-8 decodes to U+FFFD.
 */
export function parseQuery(rawQuery: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([percentDecode(key, true).toString('utf8'), percentDecode(value, true).toString('utf8')]);
  }
  return pairs;
}

/** A header's value as one string: repeated values joined with ',' (the SigV4 rule for canonical headers). */
export function headerText(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(',');
}

/**
 * Reads a value such as x-amz-server-side-encryption from the request header or, for a presigned
 * URL whose header is absent, from a query parameter of the same name compared case-insensitively
 * (S3-SSE.md R1.6). Older presigners (JS v2, Ruby) hoist x-amz-* headers into the query string;
 * AWS applies such values, and they are authenticated because SigV4 signs the whole query string.
 * Header names in `headers` must be lower case, as Node delivers them.
 */
export function headerOrSignedQuery(
  name: string,
  headers: IncomingHttpHeaders,
  query: Iterable<[string, string]>,
  auth: Pick<AuthContext, 'kind'>,
): string | undefined {
  const lower = name.toLowerCase();
  const fromHeader = headerText(headers[lower]);
  if (fromHeader !== undefined || auth.kind !== 'presigned') return fromHeader;
  for (const [key, value] of query) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}
