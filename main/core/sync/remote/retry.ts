// Exponential backoff with full jitter around a remote call, retrying only errors classed 'retriable'.
import { systemRandom, type RandomSource } from '../../crypto/random.js';
import { RemoteError } from './objectStore.js';

export interface RetryOptions {
  /** Total tries including the first (default 5). */
  readonly attempts?: number;
  /** The first backoff ceiling in milliseconds (default 200); it doubles per retry. */
  readonly baseMs?: number;
  /** The largest backoff ceiling in milliseconds (default 30,000). */
  readonly maxMs?: number;
  readonly random?: RandomSource;
  /** Waits between tries; resolving early is fine (an aborted signal is checked after it). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Stops retrying once aborted: the last error is thrown instead of waiting again. */
  readonly signal?: AbortSignal;
  /** Told before each wait, e.g. for a status line ("retrying in 3 s"). */
  readonly onRetry?: (error: RemoteError, attempt: number, delayMs: number) => void;
}

const UINT32_RANGE = 2 ** 32;

/** A uniform number in [0, 1) from the injectable byte source. */
function uniform(random: RandomSource): number {
  return random(4).readUInt32BE(0) / UINT32_RANGE;
}

/** Full jitter (a uniform wait between 0 and the capped exponential ceiling) spreads clients that failed together. */
export function backoffDelayMs(retryIndex: number, baseMs: number, maxMs: number, random: RandomSource): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** retryIndex);
  return Math.floor(uniform(random) * ceiling);
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` (given the 1-based attempt number) until it resolves, throws anything other than a
 * retriable RemoteError, or `attempts` tries have failed; then the last error is rethrown unchanged.
 * RangeError when attempts < 1.
 */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 5, baseMs = 200, maxMs = 30_000, random = systemRandom, sleep = realSleep, signal, onRetry } = options;
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError('attempts must be an integer >= 1');
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const retriable = err instanceof RemoteError && err.errorClass === 'retriable';
      if (!retriable || attempt >= attempts || signal?.aborted) throw err;
      const delayMs = backoffDelayMs(attempt - 1, baseMs, maxMs, random);
      onRetry?.(err, attempt, delayMs);
      await sleep(delayMs);
      if (signal?.aborted) throw err;
    }
  }
}
