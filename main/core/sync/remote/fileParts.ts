// Reads one byte range of a local file as a stream of bounded memory, insisting it is exactly as long as planned.
import { createReadStream } from 'node:fs';
import { PassThrough, pipeline, Readable, Transform } from 'node:stream';
import { RemoteError } from './objectStore.js';
import type { Throttle } from './throttle.js';

/** Read size per chunk: memory per transfer stays at a few of these whatever the file size. */
const READ_CHUNK_BYTES = 64 * 1024;

export interface RangeStreamOptions {
  readonly throttle?: Throttle;
  readonly signal?: AbortSignal;
  /** Told of every chunk as the consumer pulls it. */
  readonly onBytes?: (bytes: number) => void;
  /** Told once if reading fails (the file shrank, vanished, or the read failed); the caller must then abort its request. */
  readonly onError?: (error: unknown) => void;
}

/** The source file no longer has the bytes its size promised: it changed after it was measured. */
export function localFileChanged(): RemoteError {
  return new RemoteError('the local file changed while it was being read', 'skip', 'LocalFileChanged', undefined);
}

/**
 * Joins source → throttle → counter into an outlet that never emits 'error': the SDK wraps a body
 * in streams with no error listener, so a failed read is reported through onError instead (the
 * caller aborts its request, which is what rejects) and the outlet is then closed quietly.
 */
function outletFor(source: Readable, expectedBytes: number | undefined, options: RangeStreamOptions): Readable {
  let seen = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      options.onBytes?.(chunk.length);
      callback(null, chunk);
    },
    flush(callback) {
      callback(expectedBytes === undefined || seen === expectedBytes ? null : localFileChanged());
    },
  });
  const outlet = new PassThrough();
  const onDone = (err: NodeJS.ErrnoException | null): void => {
    if (!err) return;
    options.onError?.(err);
    outlet.destroy();
  };
  const last = options.throttle ? pipeline(source, options.throttle.stream(options.signal), measure, onDone) : pipeline(source, measure, onDone);
  last.pipe(outlet);
  return outlet;
}

/**
 * Bytes [start, start + size) of `file`. If the file ends early (it changed after it was
 * measured) onError gets a 'skip' RemoteError coded LocalFileChanged, so a request with a declared
 * Content-Length is aborted instead of waiting for bytes that will not come.
 */
export function openRangeStream(file: string, start: number, size: number, options: RangeStreamOptions = {}): Readable {
  const source = size === 0 ? Readable.from([]) : createReadStream(file, { start, end: start + size - 1, highWaterMark: READ_CHUNK_BYTES });
  return outletFor(source, size, options);
}
