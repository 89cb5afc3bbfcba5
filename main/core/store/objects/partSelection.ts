// GET/HEAD ?partNumber=N: the plaintext byte range of the Nth part of a completed object (S3-SSE.md 6).
import { S3Error } from '../errors.js';
import type { ObjectRecord, StreamRecord } from '../storage/records.js';
import type { ByteRange } from './range.js';

export function parsePartNumber(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 10000)) {
    throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: text });
  }
  return n;
}

/** A single-PUT object has one part (N=1 is the whole object); N beyond the count is InvalidPart. */
export function partRange(object: ObjectRecord, streams: readonly StreamRecord[], partNumber: number): ByteRange {
  const count = Math.max(object.partsCount, 1);
  if (partNumber > count) throw new S3Error('InvalidPart', 'The requested partnumber is not satisfiable', { PartNumber: String(partNumber) });
  if (object.partsCount === 0) return { start: 0, end: object.size };
  let start = 0;
  for (let i = 0; i < partNumber - 1; i++) start += streams[i]!.size;
  return { start, end: start + streams[partNumber - 1]!.size };
}
