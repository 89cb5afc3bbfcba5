// The store's cap on old-generation growth, in fresh node processes: the same promoted garbage grows the old
// generation to several times what is live with V8's default, and to under twice with the cap.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { limitOldGenerationGrowth } from '../../../main/core/threads/oldGenerationGrowth.js';

const COMPILED = pathToFileURL(join(__dirname, '..', '..', '..', 'dist', 'main', 'core', 'threads', 'oldGenerationGrowth.js')).href;

/**
 * Keeps about 45 MB live, runs full collections so V8 sets its limit from that, then makes objects
 * that outlive a scavenge and die in the old generation (a ring of recent ones, as request state
 * is), and reports the live size and the highest old-space size seen. The child's 1 MiB semi-spaces
 * make the ring's objects promote quickly, so the run takes a second or two.
 */
const CHILD = `
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
if (process.env.CAP === '1') (await import(process.env.MODULE)).limitOldGenerationGrowth();
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
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

function run(cap: boolean): { liveBytes: number; peak: number } {
  const out = execFileSync(process.execPath, ['--max-semi-space-size=1', '--input-type=module', '-e', CHILD], {
    env: { ...process.env, CAP: cap ? '1' : '0', MODULE: COMPILED },
    encoding: 'utf8',
  });
  return JSON.parse(out) as { liveBytes: number; peak: number };
}

describe('limitOldGenerationGrowth', () => {
  it('keeps the old generation near 1.5 times what is live, where V8 alone lets it grow several times', () => {
    const uncapped = run(false);
    const capped = run(true);
    // Here: 1.7 times live with the cap (marking runs while the loop allocates), 4.5 times without.
    expect(capped.peak / capped.liveBytes).toBeLessThan(2);
    expect(uncapped.peak / uncapped.liveBytes, 'the workload must show the difference').toBeGreaterThan(3);
  });

  it('refuses a growth that is not a positive whole percent', () => {
    expect(() => limitOldGenerationGrowth(0)).toThrow(RangeError);
    expect(() => limitOldGenerationGrowth(12.5)).toThrow(RangeError);
  });
});
