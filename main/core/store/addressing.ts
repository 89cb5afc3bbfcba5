// Finds the bucket and key of a request: path-style (/bucket/key) or virtual-hosted (bucket.domain/key).
import { S3Error } from './errors.js';

export interface Address {
  bucket: string | undefined;
  key: string | undefined;
  /** The raw path (before the query), as received. */
  rawPath: string;
}

/** S3's limit on key length, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

function decodeSegment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new S3Error('InvalidURI');
  }
}

function hostName(host: string | undefined): string {
  if (!host) return '';
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1).toLowerCase();
  const colon = host.lastIndexOf(':');
  return (colon >= 0 ? host.slice(0, colon) : host).toLowerCase();
}

export function resolveAddress(rawUrl: string, host: string | undefined, domains: readonly string[]): Address {
  const q = rawUrl.indexOf('?');
  const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
  if (!rawPath.startsWith('/')) throw new S3Error('InvalidURI');
  const name = hostName(host);
  // A host that is itself a domain is the service endpoint (path-style); otherwise the longest matching
  // domain wins: bucket.s3.localhost is bucket under s3.localhost, not bucket.s3 under localhost.
  const domain = domains.includes(name) ? undefined : domains.filter((d) => name.endsWith(`.${d}`)).sort((a, b) => b.length - a.length)[0];
  let bucket: string | undefined;
  let keyPart: string;
  if (domain) {
    bucket = name.slice(0, name.length - domain.length - 1);
    keyPart = rawPath.slice(1);
  } else {
    const slash = rawPath.indexOf('/', 1);
    const first = slash >= 0 ? rawPath.slice(1, slash) : rawPath.slice(1);
    bucket = first === '' ? undefined : decodeSegment(first);
    keyPart = slash >= 0 ? rawPath.slice(slash + 1) : '';
  }
  const key = keyPart === '' ? undefined : decodeSegment(keyPart);
  if (key !== undefined) validateKey(key);
  return { bucket, key, rawPath };
}

/**
 * Keys are stored only as SQLite text and never become file names, so '..' and odd Unicode are
 * harmless; NUL is refused because XML listings cannot carry it.
 */
export function validateKey(key: string): void {
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new S3Error('KeyTooLongError');
  if (key.includes('\u0000')) throw new S3Error('InvalidArgument', 'Object key must not contain the NUL character.');
}
