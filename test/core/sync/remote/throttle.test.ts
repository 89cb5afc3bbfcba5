// The token-bucket throttle driven by a hand-stepped clock: rates, bursts, fairness, runtime changes, aborts.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { Throttle } from '../../../../main/core/sync/remote/throttle.js';
import { ManualClock, settle, VirtualClock } from './remoteSupport.js';

/** Starts take() and reports whether it has resolved yet. */
function track(promise: Promise<void>): { readonly done: boolean; readonly failed: unknown } {
  const state = { done: false, failed: undefined as unknown };
  promise.then(() => (state.done = true), (err: unknown) => (state.failed = err));
  return state;
}

describe('Throttle', () => {
  it('lets a full burst through at once, then holds a taker until the bucket refills', async () => {
    const clock = new ManualClock();
    const throttle = new Throttle({ bytesPerSecond: 1000, burstBytes: 500, clock });
    const first = track(throttle.take(500));
    await settle();
    expect(first.done).toBe(true);
    const second = track(throttle.take(250));
    await settle();
    expect(second.done).toBe(false);
    await clock.advance(249);
    expect(second.done).toBe(false);
    await clock.advance(1);
    expect(second.done).toBe(true);
  });

  it('never stores more than the burst, however long it was idle', async () => {
    const clock = new ManualClock();
    const throttle = new Throttle({ bytesPerSecond: 100, burstBytes: 100, clock });
    await clock.advance(60_000);
    const big = track(throttle.take(300));
    await settle();
    expect(big.done).toBe(false);
    await clock.advance(1999);
    expect(big.done).toBe(false);
    await clock.advance(1);
    expect(big.done).toBe(true);
  });

  it('serves takers in arrival order, so one large transfer cannot starve the others', async () => {
    const clock = new ManualClock();
    const throttle = new Throttle({ bytesPerSecond: 100, burstBytes: 100, clock });
    const order: string[] = [];
    throttle.take(100).then(() => order.push('a'));
    throttle.take(100).then(() => order.push('b'));
    throttle.take(10).then(() => order.push('c'));
    await settle();
    expect(order).toEqual(['a']);
    await clock.advance(1000);
    expect(order).toEqual(['a', 'b']);
    await clock.advance(100);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('applies setRate to waiting takers at once, and 0 lifts the limit', async () => {
    const clock = new ManualClock();
    const throttle = new Throttle({ bytesPerSecond: 10, burstBytes: 10, clock });
    await throttle.take(10);
    const slow = track(throttle.take(1000));
    await settle();
    expect(slow.done).toBe(false);
    throttle.setRate(1000, 1000);
    await settle();
    expect(slow.done).toBe(false);
    await clock.advance(1000);
    expect(slow.done).toBe(true);
    const blocked = track(throttle.take(5000));
    await settle();
    expect(blocked.done).toBe(false);
    throttle.setRate(0);
    await settle();
    expect(blocked.done).toBe(true);
    expect(throttle.bytesPerSecond).toBe(0);
    await throttle.take(10 ** 9);
    expect(() => throttle.setRate(-1)).toThrow(RangeError);
  });

  it('rejects a waiting take with the abort reason and gives its bytes back', async () => {
    const clock = new ManualClock();
    const throttle = new Throttle({ bytesPerSecond: 10, burstBytes: 10, clock });
    await throttle.take(10);
    const controller = new AbortController();
    const waiting = track(throttle.take(100, controller.signal));
    const after = track(throttle.take(1));
    await settle();
    controller.abort(new Error('paused'));
    await settle();
    expect((waiting.failed as Error).message).toBe('paused');
    // Only the 1 byte of the next taker is owed now: 100 ms at 10 bytes/s.
    expect(after.done).toBe(false);
    await clock.advance(99);
    expect(after.done).toBe(false);
    await clock.advance(1);
    expect(after.done).toBe(true);
  });

  it('as a stream passes every byte unchanged, in slices, taking as long as the rate demands', async () => {
    const clock = new VirtualClock();
    const throttle = new Throttle({ bytesPerSecond: 64 * 1024, burstBytes: 16 * 1024, clock });
    const input = Buffer.alloc(256 * 1024, 7);
    const chunks: Buffer[] = [];
    await pipeline(
      Readable.from([input.subarray(0, 100_000), input.subarray(100_000)]),
      throttle.stream(),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(chunk);
          callback();
        },
      }),
    );
    expect(Buffer.concat(chunks).equals(input)).toBe(true);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(16 * 1024);
    // 256 KiB at 64 KiB/s after a 16 KiB burst: 3.75 s of waiting.
    expect(clock.now()).toBeGreaterThanOrEqual(3750);
    expect(clock.now()).toBeLessThan(3750 + 20);
  });
});
