// The Range header on plaintext offsets (RFC 9110 14.1.2, single range only, as S3 serves it).
import { S3Error } from '../errors.js';

export interface ByteRange {
  start: number;
  /** Exclusive. */
  end: number;
}

/**
 * undefined means "serve the whole object": no header, a syntax S3 ignores, or several ranges
 * (S3 does not serve multipart/byteranges). An unsatisfiable range is 416 InvalidRange.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return undefined;
  let start: number;
  let end: number;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) throw unsatisfiable(size);
    start = Math.max(0, size - suffix);
    end = size;
  } else {
    start = Number(first);
    end = last === '' ? size : Math.min(size, Number(last) + 1);
    if (last !== '' && Number(last) < start) return undefined;
  }
  if (start >= size) throw unsatisfiable(size);
  return { start, end };
}

function unsatisfiable(size: number): S3Error {
  return new S3Error('InvalidRange', undefined, { ActualObjectSize: String(size) }).withHeaders({ 'Content-Range': `bytes */${size}` });
}

export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end - 1}/${size}`;
}
