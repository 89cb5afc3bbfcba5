// withRetries: full-jitter exponential backoff over an injected random source and sleep, retrying only retriable errors.
import { describe, expect, it } from 'vitest';
import { RemoteError } from '../../../../main/core/sync/remote/objectStore.js';
import { backoffDelayMs, withRetries } from '../../../../main/core/sync/remote/retry.js';

const retriable = new RemoteError('PutObject failed: SlowDown (HTTP 503)', 'retriable', 'SlowDown', 503);
/** A random source whose 32-bit draws are all `fraction` of the range. */
const fixedRandom = (fraction: number) => () => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(Math.floor(fraction * 2 ** 32));
  return out;
};

describe('withRetries', () => {
  it('retries retriable errors with doubling, capped, fully jittered waits, then succeeds', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = await withRetries(
      async (attempt) => {
        calls++;
        if (attempt < 5) throw retriable;
        return 'done';
      },
      { attempts: 5, baseMs: 100, maxMs: 500, random: fixedRandom(0.5), sleep: async (ms) => void sleeps.push(ms) },
    );
    expect(result).toBe('done');
    expect(calls).toBe(5);
    // Ceilings 100, 200, 400, 500 (capped); the random source draws half of each.
    expect(sleeps).toEqual([50, 100, 200, 250]);
  });

  it('throws the last error once the attempts are used up', async () => {
    let calls = 0;
    const errors = [1, 2, 3].map((n) => new RemoteError(`try ${n}`, 'retriable', 'ECONNRESET', undefined));
    await expect(withRetries(async () => Promise.reject(errors[calls++]), { attempts: 3, sleep: async () => undefined })).rejects.toBe(errors[2]);
    expect(calls).toBe(3);
  });

  it('does not retry skip, fatal or foreign errors', async () => {
    for (const error of [new RemoteError('s', 'skip', 'NoSuchKey', 404), new RemoteError('f', 'fatal', 'NoSuchBucket', 404), new TypeError('bug')]) {
      let calls = 0;
      await expect(withRetries(async () => {
        calls++;
        throw error;
      }, { sleep: async () => undefined })).rejects.toBe(error);
      expect(calls).toBe(1);
    }
  });

  it('stops waiting once its signal aborts, and tells onRetry before each wait', async () => {
    const controller = new AbortController();
    const told: [string | undefined, number, number][] = [];
    let calls = 0;
    await expect(
      withRetries(async () => {
        calls++;
        throw retriable;
      }, {
        signal: controller.signal,
        random: fixedRandom(0),
        sleep: async () => controller.abort(),
        onRetry: (err, attempt, delayMs) => told.push([err.code, attempt, delayMs]),
      }),
    ).rejects.toBe(retriable);
    expect(calls).toBe(1);
    expect(told).toEqual([['SlowDown', 1, 0]]);
  });

  it('draws waits uniformly below the ceiling and rejects nonsense attempt counts', async () => {
    expect(backoffDelayMs(0, 200, 30_000, fixedRandom(0))).toBe(0);
    expect(backoffDelayMs(3, 200, 30_000, fixedRandom(0.999))).toBe(1598);
    expect(backoffDelayMs(20, 200, 30_000, fixedRandom(0.5))).toBe(15_000);
    await expect(withRetries(async () => 1, { attempts: 0 })).rejects.toThrow(RangeError);
  });
});
