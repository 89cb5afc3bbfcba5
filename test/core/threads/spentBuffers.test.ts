// The streaming collector: when it collects (every COLLECT_EVERY_BYTES, counted across calls) and that a collection frees spent buffers.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { COLLECT_EVERY_BYTES, StreamCollector, collectSpentBuffers, noteStreamedBytes } from '../../../main/core/threads/spentBuffers.js';

const MIB = 1024 * 1024;
const SPENT_BYTES = 16 * MIB;

describe('StreamCollector', () => {
  it('runs once per threshold of bytes, counted across calls, and starts counting again after each run', () => {
    let runs = 0;
    const collector = new StreamCollector(1000, () => runs++);
    collector.note(400);
    collector.note(599);
    expect(runs).toBe(0);
    collector.note(1);
    expect(runs).toBe(1);
    collector.note(999);
    expect(runs).toBe(1);
    collector.note(5000);
    expect(runs).toBe(2);
    collector.note(0);
    expect(runs).toBe(2);
  });
});

function arrayBufferBytes(): number {
  return process.memoryUsage().arrayBuffers;
}

/** Allocates SPENT_BYTES in 64 KiB buffers, as a transfer's segments are, and drops them all. */
function spendBuffers(): void {
  for (let i = 0; i < SPENT_BYTES / (64 * 1024); i++) Buffer.allocUnsafeSlow(64 * 1024).fill(i & 0xff);
}

/** Polls until the dropped buffers are freed (the sweep after a scavenge may finish on another thread). */
async function freedBelow(limit: number, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (arrayBufferBytes() < limit) return true;
    await sleep(5);
  }
  return arrayBufferBytes() < limit;
}

describe('noteStreamedBytes', () => {
  it('once turned on, gives dropped buffers back when a threshold of bytes has streamed, every time', async () => {
    collectSpentBuffers();
    const base = arrayBufferBytes();
    for (let round = 0; round < 3; round++) {
      spendBuffers();
      // Dead but not collected: V8 alone does not scavenge for a few hundred small wrappers.
      expect(arrayBufferBytes()).toBeGreaterThanOrEqual(base + SPENT_BYTES - MIB);
      noteStreamedBytes(COLLECT_EVERY_BYTES);
      expect(await freedBelow(base + 4 * MIB, 2000)).toBe(true);
    }
  });
});
