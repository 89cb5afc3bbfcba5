import { describe, expect, it } from 'vitest';
import { EventAggregator, type AggregatorOptions } from '../../../main/core/sync/aggregator.js';
import type { WatchEvent } from '../../../main/core/sync/syncTypes.js';
import { ManualClock } from './manualClock.js';

interface Harness {
  readonly clock: ManualClock;
  readonly aggregator: EventAggregator;
  /** Each batch with the clock time it arrived at. */
  readonly batches: { atMs: number; paths: readonly string[] }[];
  push(...paths: string[]): void;
}

function harness(options: Partial<Omit<AggregatorOptions, 'onBatch' | 'clock'>> = {}): Harness {
  const clock = new ManualClock();
  const batches: { atMs: number; paths: readonly string[] }[] = [];
  const aggregator = new EventAggregator({
    caseInsensitive: false,
    ...options,
    clock,
    onBatch: (batch) => batches.push({ atMs: clock.now(), paths: batch.paths }),
  });
  const push = (...paths: string[]): void => aggregator.push(paths.map((path): WatchEvent => ({ type: 'change', path })));
  return { clock, aggregator, batches, push };
}

describe('EventAggregator: timing', () => {
  it('hands a path on after 300 ms without events, not before', () => {
    const h = harness();
    h.push('a.txt');
    h.clock.advance(299);
    expect(h.batches).toEqual([]);
    h.clock.advance(1);
    expect(h.batches).toEqual([{ atMs: 300, paths: ['a.txt'] }]);
    expect(h.aggregator.pendingCount).toBe(0);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('restarts the quiet delay with every event for the path', () => {
    const h = harness();
    h.push('a.txt');
    h.clock.advance(200);
    h.push('a.txt');
    h.clock.advance(200);
    h.push('a.txt');
    h.clock.advance(299);
    expect(h.batches).toEqual([]);
    h.clock.advance(1);
    expect(h.batches).toEqual([{ atMs: 700, paths: ['a.txt'] }]);
  });

  it('hands on a path that never stops changing after the 5 s maximum wait', () => {
    const h = harness();
    for (let t = 0; t < 6000; t += 100) {
      h.push('growing.log');
      h.clock.advance(100);
    }
    expect(h.batches[0]).toEqual({ atMs: 5000, paths: ['growing.log'] });
  });

  it('times each path on its own and batches those due together', () => {
    const h = harness();
    h.push('a');
    h.clock.advance(100);
    h.push('b', 'c');
    h.clock.advance(100);
    h.push('a');
    h.clock.advance(1000);
    expect(h.batches).toEqual([
      { atMs: 400, paths: ['b', 'c'] },
      { atMs: 500, paths: ['a'] },
    ]);
  });

  it('honours other limits', () => {
    const h = harness({ quietMs: 50, maxWaitMs: 120 });
    h.push('x');
    h.clock.advance(40);
    h.push('x');
    h.clock.advance(40);
    h.push('x');
    h.clock.advance(40);
    expect(h.batches).toEqual([{ atMs: 120, paths: ['x'] }]);
  });
});

describe('EventAggregator: paths', () => {
  it('sorts a batch in byte order and keys paths by case on a case-insensitive disk (latest spelling wins)', () => {
    const h = harness({ caseInsensitive: true });
    h.push('b', 'Notes.txt', 'a/z', 'notes.TXT');
    h.clock.advance(300);
    expect(h.batches).toEqual([{ atMs: 300, paths: ['a/z', 'b', 'notes.TXT'] }]);
  });

  it('keeps case twins apart on a case-sensitive disk, and folds NFC/NFD twins', () => {
    const h = harness();
    h.push('Notes.txt', 'notes.txt', 'cafe\u0301', 'caf\u00e9');
    h.clock.advance(300);
    expect(h.batches[0]!.paths).toEqual(['Notes.txt', 'caf\u00e9', 'notes.txt']);
  });

  it('lets an event inside a pending directory refresh the directory, not add a path', () => {
    const h = harness();
    h.aggregator.push([{ type: 'addDir', path: 'photos' }]);
    h.clock.advance(200);
    h.push('photos/1.jpg');
    h.clock.advance(299);
    expect(h.batches).toEqual([]);
    h.clock.advance(1);
    expect(h.batches).toEqual([{ atMs: 500, paths: ['photos'] }]);
  });

  it('lets a directory event absorb pending paths under it, keeping their earliest start', () => {
    const h = harness({ maxWaitMs: 1000 });
    h.push('d/x');
    for (let t = 200; t <= 800; t += 200) {
      h.clock.advance(200);
      h.push('d/x', 'd/sub/y');
    }
    expect(h.aggregator.pendingCount).toBe(2);
    h.aggregator.push([{ type: 'unlinkDir', path: 'd' }]);
    expect(h.aggregator.pendingCount).toBe(1);
    h.clock.advance(199);
    expect(h.batches).toEqual([]);
    h.clock.advance(1);
    expect(h.batches).toEqual([{ atMs: 1000, paths: ['d'] }]);
  });

  it('widens more than 100 paths in one directory to that directory', () => {
    const h = harness();
    const names = Array.from({ length: 100 }, (_, i) => `big/f${String(i).padStart(3, '0')}`);
    h.push(...names, 'other.txt');
    h.clock.advance(300);
    expect(h.batches[0]!.paths).toEqual([...names, 'other.txt']);
    h.push(...names, 'big/one-more', 'other.txt');
    expect(h.aggregator.pendingCount).toBe(2);
    h.clock.advance(300);
    expect(h.batches[1]!.paths).toEqual(['big', 'other.txt']);
  });

  it('widens to the whole folder ("") when the folder root holds too many', () => {
    const h = harness({ maxPathsPerDirectory: 3 });
    h.push('a', 'b', 'c', 'd');
    h.clock.advance(300);
    expect(h.batches).toEqual([{ atMs: 300, paths: [''] }]);
  });

  it('counts a widened directory as one path of its parent', () => {
    const h = harness({ maxPathsPerDirectory: 2 });
    h.push('p/a/1', 'p/a/2', 'p/a/3', 'p/b');
    h.clock.advance(300);
    expect(h.batches[0]!.paths).toEqual(['p/a', 'p/b']);
  });

  it('keeps the earliest start when it widens', () => {
    const h = harness({ maxPathsPerDirectory: 2, maxWaitMs: 1000 });
    h.push('d/1');
    for (let t = 0; t < 1000; t += 100) {
      h.clock.advance(100);
      h.push(`d/${2 + t / 100}`);
    }
    expect(h.batches).toEqual([{ atMs: 1000, paths: ['d'] }]);
  });

  it('widens everything to the whole folder beyond the total limit', () => {
    const h = harness({ maxPathsTotal: 3 });
    h.push('a/1', 'b/1', 'c/1', 'd/1');
    expect(h.aggregator.pendingCount).toBe(1);
    h.clock.advance(300);
    expect(h.batches).toEqual([{ atMs: 300, paths: [''] }]);
  });

  it('keeps refreshing the whole folder once it is pending', () => {
    const h = harness();
    h.aggregator.push([{ type: 'unlinkDir', path: '' }]);
    h.clock.advance(200);
    h.push('x/y');
    h.clock.advance(300);
    expect(h.batches).toEqual([{ atMs: 500, paths: [''] }]);
  });
});

describe('EventAggregator: lifecycle', () => {
  it('flush hands on everything now and leaves no timer', () => {
    const h = harness();
    h.push('a', 'b');
    h.clock.advance(10);
    h.aggregator.flush();
    expect(h.batches).toEqual([{ atMs: 10, paths: ['a', 'b'] }]);
    expect(h.clock.pendingTimers).toBe(0);
    h.clock.advance(10_000);
    expect(h.batches).toHaveLength(1);
  });

  it('close drops what waits and ignores later events', () => {
    const h = harness();
    h.push('a');
    h.aggregator.close();
    expect(h.clock.pendingTimers).toBe(0);
    h.push('b');
    h.aggregator.flush();
    h.clock.advance(10_000);
    expect(h.batches).toEqual([]);
    expect(h.aggregator.pendingCount).toBe(0);
  });

  it('accepts new events from inside onBatch', () => {
    const clock = new ManualClock();
    const seen: (readonly string[])[] = [];
    const aggregator = new EventAggregator({
      caseInsensitive: false,
      clock,
      onBatch: (batch) => {
        seen.push(batch.paths);
        if (batch.paths.includes('first')) aggregator.push([{ type: 'add', path: 'second' }]);
      },
    });
    aggregator.push([{ type: 'add', path: 'first' }]);
    clock.advance(1000);
    expect(seen).toEqual([['first'], ['second']]);
  });

  it.each<[string, Partial<AggregatorOptions>]>([
    ['a negative quiet delay', { quietMs: -1 }],
    ['an infinite maximum wait', { maxWaitMs: Infinity }],
    ['a zero per-directory limit', { maxPathsPerDirectory: 0 }],
    ['a fractional total limit', { maxPathsTotal: 2.5 }],
  ])('rejects %s with RangeError', (_case, options) => {
    expect(() => new EventAggregator({ caseInsensitive: false, onBatch: () => {}, ...options })).toThrow(RangeError);
  });
});
