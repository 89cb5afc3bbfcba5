// The streaming collector: when it collects (every COLLECT_EVERY_BYTES, counted across calls), that each
// threshold runs a minor collection, and that a collection frees spent buffers.
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

/** A full collection for the test's own use: each round starts with no marking under way and nothing left to sweep. */
function fullCollection(): () => void {
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as () => void;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

/** Allocates SPENT_BYTES in 64 KiB buffers, as a transfer's segments are, and drops them all. */
function spendBuffers(): void {
  for (let i = 0; i < SPENT_BYTES / (64 * 1024); i++) Buffer.allocUnsafeSlow(64 * 1024).fill(i & 0xff);
}

/**
 * Runs `work` with V8 freeing dead ArrayBuffers inside the collection itself rather than on a helper
 * thread afterwards, so what a collection gives back can be read as soon as it returns.
 */
function withSynchronousBufferSweeping(work: () => void): void {
  setFlagsFromString('--no-concurrent-array-buffer-sweeping');
  try {
    work();
  } finally {
    setFlagsFromString('--concurrent-array-buffer-sweeping');
  }
}

/** Counts the minor collections V8 reports while `work` runs (entries arrive asynchronously, so it waits for them). */
async function minorCollectionsDuring(work: () => Promise<void>): Promise<number> {
  let minor = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { detail } = entry as { detail?: { kind?: number } };
      if (detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    await work();
    await sleep(50);
  } finally {
    observer.disconnect();
  }
  return minor;
}

describe('noteStreamedBytes', () => {
  it('once turned on, runs one minor collection per threshold of bytes streamed', async () => {
    collectSpentBuffers();
    const thresholds = 20;
    const minor = await minorCollectionsDuring(async () => {
      for (let i = 0; i < thresholds; i++) {
        noteStreamedBytes(COLLECT_EVERY_BYTES);
        await sleep(1);
      }
    });
    // Nearly nothing is allocated here, so V8 alone would not scavenge twenty times.
    expect(minor).toBeGreaterThanOrEqual(thresholds);
  });

  it('once turned on, gives dropped buffers back when a threshold of bytes has streamed, every time', () => {
    collectSpentBuffers();
    const settle = fullCollection();
    withSynchronousBufferSweeping(() => {
      for (let round = 0; round < 3; round++) {
        settle();
        const base = arrayBufferBytes();
        spendBuffers();
        // Dead but not collected: V8 alone does not scavenge for a few hundred small wrappers.
        expect(arrayBufferBytes()).toBeGreaterThanOrEqual(base + SPENT_BYTES - MIB);
        noteStreamedBytes(COLLECT_EVERY_BYTES);
        expect(arrayBufferBytes()).toBeLessThan(base + MIB);
      }
    });
  });
});
