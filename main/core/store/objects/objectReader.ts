// Reads a plaintext byte range of a stored object, decrypting only the segments of the streams it touches.
import { CryptoError, decryptRange } from '../../crypto/index.js';
import type { StoreServices } from '../storeServices.js';
import type { ObjectRecord, StreamRecord } from '../storage/records.js';
import type { ByteRange } from './range.js';
import { tampered } from './tampered.js';

/**
 * Streams (parts) are independent encrypted streams of any size, so a range that crosses part
 * boundaries switches stream at each boundary; no part size needs to align with the segment size.
 * The caller pins the blobs; `release` is called when the generator ends for any reason.
 */
export async function* readObjectRange(
  services: StoreServices,
  object: ObjectRecord,
  streams: readonly StreamRecord[],
  objectKey: Buffer,
  range: ByteRange,
  release: () => void,
): AsyncGenerator<Buffer> {
  try {
    let offset = 0;
    for (const stream of streams) {
      const streamStart = offset;
      const streamEnd = offset + stream.size;
      offset = streamEnd;
      if (streamEnd <= range.start || streamStart >= range.end) continue;
      const from = Math.max(range.start, streamStart) - streamStart;
      const to = Math.min(range.end, streamEnd) - streamStart;
      let blob;
      try {
        blob = await services.blobs.open(stream.blobId);
      } catch {
        throw tampered();
      }
      try {
        const identity = { bucket: object.bucket, key: object.key, uploadId: object.uploadId, partNumber: stream.partNumber, blobId: stream.blobId };
        yield* decryptRange(blob, objectKey, identity, stream.size, from, to);
      } catch (err) {
        throw err instanceof CryptoError ? tampered() : err;
      } finally {
        await blob.close();
      }
    }
  } finally {
    release();
  }
}

/**
 * Pulls the first chunk before the response headers go out, so that a blob failing
 * authentication at its start is answered with a proper 500 error instead of a cut connection.
 */
export async function primed(source: AsyncGenerator<Buffer>): Promise<AsyncIterable<Buffer>> {
  let first: IteratorResult<Buffer>;
  try {
    first = await source.next();
  } catch (err) {
    await source.return(undefined);
    throw err;
  }
  return {
    [Symbol.asyncIterator]() {
      let pending: IteratorResult<Buffer> | undefined = first;
      return {
        next: async () => {
          if (pending) {
            const value = pending;
            pending = undefined;
            return value;
          }
          return source.next();
        },
        return: async () => source.return(undefined),
      };
    },
  };
}
