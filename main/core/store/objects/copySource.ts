// The x-amz-copy-source header and its conditions (CopyObject, UploadPartCopy).
import { S3Error } from '../errors.js';
import type { RequestContext } from '../requestContext.js';
import { validateKey } from '../addressing.js';
import type { ObjectRecord } from '../storage/records.js';
import type { ByteRange } from './range.js';

export interface CopySource {
  bucket: string;
  key: string;
}

/** "/bucket/key" or "bucket/key", percent-encoded, optionally "?versionId=null" (the only version here). */
export function parseCopySource(ctx: RequestContext): CopySource {
  const raw = ctx.header('x-amz-copy-source')!;
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  if (q >= 0) {
    const versionId = new URLSearchParams(raw.slice(q + 1)).get('versionId');
    if (versionId !== null && versionId !== 'null') throw new S3Error('NoSuchKey', 'The specified version does not exist.');
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.replace(/^\//, ''));
  } catch {
    throw new S3Error('InvalidArgument', 'Invalid copy source encoding', { ArgumentName: 'x-amz-copy-source' });
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw new S3Error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', { ArgumentName: 'x-amz-copy-source' });
  }
  const key = decoded.slice(slash + 1);
  validateKey(key);
  return { bucket: decoded.slice(0, slash), key };
}

function etagMatches(header: string, etag: string): boolean {
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^"(.*)"$/, '$1');
    return tag === '*' || tag === etag;
  });
}

/** x-amz-copy-source-if-*: a failed condition is 412 PreconditionFailed. */
export function checkCopySourceConditions(ctx: RequestContext, source: ObjectRecord): void {
  const modified = Math.floor(source.lastModified.getTime() / 1000);
  const time = (name: string): number | undefined => {
    const v = ctx.header(name);
    const t = v === undefined ? NaN : Date.parse(v);
    return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
  };
  const ifMatch = ctx.header('x-amz-copy-source-if-match');
  const ifNoneMatch = ctx.header('x-amz-copy-source-if-none-match');
  const ifModifiedSince = time('x-amz-copy-source-if-modified-since');
  const ifUnmodifiedSince = time('x-amz-copy-source-if-unmodified-since');
  const fail = (condition: string): never => {
    throw new S3Error('PreconditionFailed', undefined, { Condition: condition });
  };
  if (ifMatch !== undefined && !etagMatches(ifMatch, source.etag)) fail('x-amz-copy-source-If-Match');
  if (ifMatch === undefined && ifUnmodifiedSince !== undefined && modified > ifUnmodifiedSince) fail('x-amz-copy-source-If-Unmodified-Since');
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, source.etag)) fail('x-amz-copy-source-If-None-Match');
  if (ifNoneMatch === undefined && ifModifiedSince !== undefined && modified <= ifModifiedSince) fail('x-amz-copy-source-If-Modified-Since');
}

/** x-amz-copy-source-range: "bytes=first-last", both required and inside the source. */
export function parseCopySourceRange(header: string | undefined, size: number): ByteRange {
  if (header === undefined) return { start: 0, end: size };
  const match = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  const start = match ? Number(match[1]) : NaN;
  const last = match ? Number(match[2]) : NaN;
  if (!match || last < start) {
    throw new S3Error('InvalidArgument', 'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', {
      ArgumentName: 'x-amz-copy-source-range',
      ArgumentValue: header,
    });
  }
  if (last >= size) throw new S3Error('InvalidRange', 'The requested range is not satisfiable').withHeaders({ 'Content-Range': `bytes */${size}` });
  return { start, end: last + 1 };
}
