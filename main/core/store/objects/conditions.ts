// Conditional reads: If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since (RFC 9110 13, S3 precedence).
import { S3Error } from '../errors.js';
import type { RequestContext } from '../requestContext.js';

function etagList(header: string): string[] {
  return header.split(',').map((t) => t.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1'));
}

function matches(header: string, etag: string): boolean {
  const list = etagList(header);
  return list.includes('*') || list.includes(etag);
}

function parseDate(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const t = Date.parse(header);
  return Number.isNaN(t) ? undefined : t;
}

/** HTTP dates have one-second resolution; compare at that resolution. */
function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/**
 * S3's rules: If-Match true overrides a false If-Unmodified-Since (200); If-None-Match false
 * with a true If-Modified-Since is 304. Throws PreconditionFailed (412) or NotModified (304).
 */
export function checkReadConditions(ctx: RequestContext, etag: string, lastModified: Date, notModifiedHeaders: Record<string, string>): void {
  const ifMatch = ctx.header('if-match');
  const ifNoneMatch = ctx.header('if-none-match');
  const ifModifiedSince = parseDate(ctx.header('if-modified-since'));
  const ifUnmodifiedSince = parseDate(ctx.header('if-unmodified-since'));
  const modified = seconds(lastModified.getTime());
  if (ifMatch !== undefined) {
    if (!matches(ifMatch, etag)) throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
  } else if (ifUnmodifiedSince !== undefined && modified > seconds(ifUnmodifiedSince)) {
    throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Unmodified-Since' });
  }
  if (ifNoneMatch !== undefined) {
    if (matches(ifNoneMatch, etag)) throw notModified(notModifiedHeaders);
  } else if (ifModifiedSince !== undefined && modified <= seconds(ifModifiedSince)) {
    throw notModified(notModifiedHeaders);
  }
}

function notModified(headers: Record<string, string>): S3Error {
  return new S3Error('NotModified').withHeaders(headers);
}

/**
 * Conditional writes (If-None-Match: * to create only, If-Match to replace only a known version),
 * judged inside the commit transaction so two racing writers cannot both win.
 */
export function checkWriteConditions(
  ifMatch: string | undefined,
  ifNoneMatch: string | undefined,
  current: { etag: string } | undefined,
): void {
  if (ifNoneMatch !== undefined && current && matches(ifNoneMatch, current.etag)) {
    throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-None-Match' });
  }
  if (ifMatch !== undefined) {
    if (!current) throw new S3Error('NoSuchKey');
    if (!matches(ifMatch, current.etag)) throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
  }
}
