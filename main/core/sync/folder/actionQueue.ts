// Runs a cycle's actions with bounded concurrency, retrying what is retriable and deciding by error class.
import { RemoteError, type RemoteErrorClass } from '../remote/objectStore.js';

/** A local failure that only affects one file (it vanished, is locked, changed under us). */
export class SkipFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SkipFileError';
  }
}

/** Local file-system codes that concern one file; anything else local (ENOSPC, EROFS…) stops the folder. */
const LOCAL_SKIP_CODES = new Set(['ENOENT', 'EACCES', 'EPERM', 'EBUSY', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG', 'EEXIST', 'ENOTEMPTY', 'ELOOP']);

/** The class of any failure: the executor decides from this, never from message text. */
export function errorClassOf(err: unknown): RemoteErrorClass {
  if (err instanceof RemoteError) return err.errorClass;
  if (err instanceof SkipFileError) return 'skip';
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && LOCAL_SKIP_CODES.has(code)) return 'skip';
  if (err instanceof Error && err.name === 'MissingKeyError') return 'skip';
  if (err instanceof Error && err.name === 'CryptoError') return 'skip';
  return 'fatal';
}

export interface QueueFailure<T> {
  readonly item: T;
  readonly error: unknown;
  readonly errorClass: RemoteErrorClass;
}

export interface QueueResult<T> {
  readonly done: number;
  readonly skipped: QueueFailure<T>[];
  /** The first fatal failure; the queue stops starting new work after it. */
  readonly fatal?: QueueFailure<T>;
}

/**
 * Runs `work` over `items`, `concurrency` at a time. `retry` wraps each call (retrying retriable
 * failures); a failure still retriable after it, or a skip, is collected; a fatal one stops the
 * queue (running work finishes). Abort via `signal` stops starting new items.
 */
export async function runQueue<T>(
  items: readonly T[],
  work: (item: T) => Promise<void>,
  options: { concurrency: number; retry: <R>(fn: () => Promise<R>) => Promise<R>; signal?: AbortSignal },
): Promise<QueueResult<T>> {
  let next = 0;
  let done = 0;
  const skipped: QueueFailure<T>[] = [];
  let fatal: QueueFailure<T> | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !fatal && !options.signal?.aborted) {
      const item = items[next++]!;
      try {
        await options.retry(() => work(item));
        done++;
      } catch (error) {
        const errorClass = errorClassOf(error);
        if (errorClass === 'fatal') fatal ??= { item, error, errorClass };
        else skipped.push({ item, error, errorClass });
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, items.length)) }, worker);
  await Promise.all(workers);
  return { done, skipped, fatal };
}
