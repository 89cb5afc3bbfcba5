// The store's cap on old-generation growth, in fresh node processes: the same promoted garbage grows the old
// generation to several times what is live with V8's default, and to under twice with the cap, also after
// a large stream has lifted it (test/agent/storeStreamGc.test.ts shows the lift in a real store).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GrowthCap, LIFT_FOR_STREAM_BYTES, STREAMING_GROWTH_PERCENT, limitOldGenerationGrowth } from '../../../main/core/threads/oldGenerationGrowth.js';

const COMPILED = pathToFileURL(join(__dirname, '..', '..', '..', 'dist', 'main', 'core', 'threads', 'oldGenerationGrowth.js')).href;

/**
 * Keeps about 45 MB live, runs full collections so V8 sets its limit from that, then makes objects
 * that outlive a scavenge and die in the old generation (a ring of recent ones, as request state
 * is), and reports the live size and the highest old-space size seen. The child's 1 MiB semi-spaces
 * make the ring's objects promote quickly, so the run takes a second or two. With STREAM_FIRST a
 * large stream starts and ends before, so the ring runs under whatever the stream's end restored.
 */
const RING_CHILD = `
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
const growth = await import(process.env.MODULE);
if (process.env.CAP === '1') growth.limitOldGenerationGrowth();
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
if (process.env.STREAM_FIRST === '1') {
  const ended = growth.streamStarting(1 << 30);
  gc();
  ended();
}
const oldUsed = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_used_size;
const live = Array.from({ length: 300_000 }, (_, i) => ({ i, text: 'live-' + i, more: [i, i + 1] }));
gc(); gc();
const liveBytes = oldUsed();
let peak = liveBytes;
const ring = new Array(20_000);
for (let i = 0; i < 4_000_000; i++) {
  ring[i % ring.length] = { i, text: 'request-' + i, pad: [i, i, i] };
  if (i % 10_000 === 0) peak = Math.max(peak, oldUsed());
}
console.log(JSON.stringify({ liveBytes, peak, kept: live.length + ring.length }));
`;

function runRing(env: { CAP: '0' | '1'; STREAM_FIRST?: '1' }): { liveBytes: number; peak: number } {
  const out = execFileSync(process.execPath, ['--max-semi-space-size=1', '--input-type=module', '-e', RING_CHILD], {
    env: { ...process.env, ...env, MODULE: COMPILED },
    encoding: 'utf8',
  });
  return JSON.parse(out) as { liveBytes: number; peak: number };
}

describe('limitOldGenerationGrowth', () => {
  it('keeps the old generation near 1.5 times what is live, where V8 alone lets it grow several times', () => {
    const uncapped = runRing({ CAP: '0' });
    const capped = runRing({ CAP: '1' });
    // Here: 1.7 times live with the cap (marking runs while the loop allocates), 4.5 times without.
    expect(capped.peak / capped.liveBytes).toBeLessThan(2);
    expect(uncapped.peak / uncapped.liveBytes, 'the workload must show the difference').toBeGreaterThan(3);
  });

  it('is back in force once a large stream has ended', () => {
    const afterStream = runRing({ CAP: '1', STREAM_FIRST: '1' });
    expect(afterStream.peak / afterStream.liveBytes).toBeLessThan(2);
  });

  it('refuses a growth that is not a positive whole percent', () => {
    expect(() => limitOldGenerationGrowth(0)).toThrow(RangeError);
    expect(() => limitOldGenerationGrowth(12.5)).toThrow(RangeError);
  });
});

describe('GrowthCap', () => {
  function recording(): { cap: GrowthCap; set: number[] } {
    const set: number[] = [];
    const cap = new GrowthCap(50, (p) => set.push(p), 1000);
    return { cap, set };
  }

  it('sets the cap when applied', () => {
    const { cap, set } = recording();
    cap.apply();
    expect(set).toEqual([50]);
  });

  it('leaves the cap alone for streams under the threshold and for unknown lengths', () => {
    const { cap, set } = recording();
    cap.streamStarting(999)();
    cap.streamStarting(Number.NaN)();
    expect(set).toEqual([]);
    expect(cap.lifted).toBe(false);
  });

  it('lifts once for overlapping large streams and restores when the last one ends, however often each end is called', () => {
    const { cap, set } = recording();
    const first = cap.streamStarting(1000);
    const second = cap.streamStarting(5000);
    expect(cap.lifted).toBe(true);
    first();
    first();
    expect(set).toHaveLength(1);
    expect(cap.lifted).toBe(true);
    second();
    expect(set).toEqual([STREAMING_GROWTH_PERCENT, 50]);
    expect(cap.lifted).toBe(false);
    second();
    expect(set).toHaveLength(2);
  });

  it('uses the store threshold by default', () => {
    const set: number[] = [];
    const cap = new GrowthCap(50, (p) => set.push(p));
    cap.streamStarting(LIFT_FOR_STREAM_BYTES - 1)();
    expect(set).toEqual([]);
    cap.streamStarting(LIFT_FOR_STREAM_BYTES)();
    expect(set).toHaveLength(2);
  });

  it('refuses a growth that is not a positive whole percent', () => {
    expect(() => new GrowthCap(-5, () => {})).toThrow(RangeError);
  });
});
