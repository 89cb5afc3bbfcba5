// Moving bytes between local files and the in-memory store with the same throttles, progress and abort rules as the S3 store.
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ABORTED_CODE, classifyError } from './classifyError.js';
import { openRangeStream } from './fileParts.js';
import { RemoteError } from './objectStore.js';
import { ProgressCounter } from './progress.js';
import type { Throttle } from './throttle.js';

/** Slice size for streaming a stored body out, like a socket delivering it. */
const CHUNK_BYTES = 64 * 1024;

export function aborted(operation: string, cause?: unknown): RemoteError {
  return new RemoteError(`${operation} was aborted`, 'skip', ABORTED_CODE, undefined, { cause });
}

/** Rethrows as a RemoteError: Aborted when the signal fired, otherwise classed like the S3 store's. */
function fail(operation: string, err: unknown, signal: AbortSignal | undefined): never {
  if (signal?.aborted) throw aborted(operation, err);
  throw classifyError(err, { operation });
}

/** Bytes [start, start + size) of a local file, read through the throttle and counted into `progress`. */
export async function readRange(
  file: string,
  start: number,
  size: number,
  operation: string,
  options: { throttle?: Throttle; signal?: AbortSignal; progress: ProgressCounter },
): Promise<Buffer> {
  if (options.signal?.aborted) throw aborted(operation, options.signal.reason);
  const chunks: Buffer[] = [];
  let readError: unknown;
  try {
    const stream = openRangeStream(file, start, size, {
      throttle: options.throttle,
      signal: options.signal,
      onBytes: (n) => options.progress.add(n),
      onError: (err) => (readError ??= err),
    });
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  } catch (err) {
    fail(operation, readError ?? err, options.signal);
  }
  if (readError !== undefined) fail(operation, readError, options.signal);
  if (options.signal?.aborted) throw aborted(operation, options.signal.reason);
  return Buffer.concat(chunks);
}

/** Writes `body` to `file` (created or truncated) through the throttle, fsynced before it resolves. */
export async function writeFileFrom(body: Buffer, file: string, options: { throttle?: Throttle; signal?: AbortSignal; progress: ProgressCounter }): Promise<void> {
  const slices = function* (): Generator<Buffer> {
    for (let offset = 0; offset < body.length; offset += CHUNK_BYTES) yield body.subarray(offset, offset + CHUNK_BYTES);
  };
  const count = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      options.progress.add(chunk.length);
      callback(null, chunk);
    },
  });
  const sink = createWriteStream(file, { flush: true });
  try {
    if (options.throttle) await pipeline(Readable.from(slices()), options.throttle.stream(options.signal), count, sink, { signal: options.signal });
    else await pipeline(Readable.from(slices()), count, sink, { signal: options.signal });
  } catch (err) {
    fail('GetObject', err, options.signal);
  }
}
