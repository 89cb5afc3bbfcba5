// How a file is cut into multipart parts within S3's limits (5 MiB minimum part, 10,000 parts, 5 TiB objects).
const MIB = 1024 * 1024;
/** Every part but the last must be at least this large (S3). */
export const MIN_PART_BYTES = 5 * MIB;
export const MAX_PARTS = 10_000;
/** The largest object S3 stores. */
export const MAX_OBJECT_BYTES = 5 * 1024 * 1024 * MIB;
/** The largest single PUT S3 accepts; anything larger must be multipart. */
export const MAX_SINGLE_PUT_BYTES = 5 * 1024 * MIB;

export interface PartRange {
  /** 1-based, as S3 numbers parts. */
  readonly partNumber: number;
  /** Byte offset in the file. */
  readonly start: number;
  readonly size: number;
}

/** The preferred part size, grown (in whole MiB) so the file fits in 10,000 parts. */
export function choosePartSize(fileBytes: number, preferredPartBytes: number): number {
  const needed = Math.ceil(fileBytes / MAX_PARTS);
  if (needed <= preferredPartBytes) return preferredPartBytes;
  return Math.ceil(needed / MIB) * MIB;
}

/** Consecutive ranges covering the file; a zero-byte file is one empty part. RangeError when partBytes < 1. */
export function partRanges(fileBytes: number, partBytes: number): PartRange[] {
  if (!Number.isInteger(partBytes) || partBytes < 1) throw new RangeError('part size must be a positive integer');
  const ranges: PartRange[] = [];
  for (let start = 0, partNumber = 1; start < fileBytes || partNumber === 1; start += partBytes, partNumber++) {
    ranges.push({ partNumber, start, size: Math.min(partBytes, fileBytes - start) });
    if (fileBytes === 0) break;
  }
  return ranges;
}
