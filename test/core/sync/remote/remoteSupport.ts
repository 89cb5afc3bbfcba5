// Test support for the remote stores: temp files of known bytes, a virtual clock, a ledger that aborts after N parts, error assertions.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Clock } from '../../../../main/core/sync/remote/clock.js';
import { MemoryUploadLedger } from '../../../../main/core/sync/remote/memoryUploadLedger.js';
import { RemoteError, type RemoteErrorClass } from '../../../../main/core/sync/remote/objectStore.js';
import { patternBytes } from '../../../support/s3Expect.js';

export { patternBytes };

export interface TempDir {
  readonly path: string;
  /** Writes `bytes` to a new file in the directory and returns its path. */
  file(name: string, bytes: Buffer): string;
  remove(): void;
}

export function tempDir(): TempDir {
  const path = mkdtempSync(join(tmpdir(), 'coffer-remote-'));
  return {
    path,
    file(name, bytes) {
      const file = join(path, name);
      writeFileSync(file, bytes);
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** Awaits a call that must reject with a RemoteError of this class (and code, when given). */
export async function expectRemoteError(call: Promise<unknown>, errorClass: RemoteErrorClass, code?: string): Promise<RemoteError> {
  let caught: unknown;
  try {
    await call;
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected a ${errorClass} RemoteError`).toBeInstanceOf(RemoteError);
  const err = caught as RemoteError;
  expect({ errorClass: err.errorClass, code: code === undefined ? undefined : err.code }).toEqual({ errorClass, code });
  return err;
}

/**
 * Time that moves only when something sleeps: each sleep advances it by the requested amount and
 * resolves at once, so a throttled transfer finishes instantly yet the total time it asked to wait
 * can be read back.
 */
export class VirtualClock implements Clock {
  private current = 0;
  readonly sleeps: number[] = [];

  now(): number {
    return this.current;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.current += ms;
  }
}

/**
 * A clock a test steps by hand: sleeps stay pending until `advance` passes their deadline, or
 * their signal aborts.
 */
export class ManualClock implements Clock {
  private current = 0;
  private waiting: { until: number; resolve: () => void }[] = [];

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const entry = { until: this.current + ms, resolve };
      this.waiting.push(entry);
      signal?.addEventListener('abort', () => {
        this.waiting = this.waiting.filter((w) => w !== entry);
        resolve();
      }, { once: true });
    });
  }

  get pendingSleeps(): number {
    return this.waiting.length;
  }

  /** Moves time on and wakes the sleepers whose deadline passed, then lets their continuations run. */
  async advance(ms: number): Promise<void> {
    this.current += ms;
    const due = this.waiting.filter((w) => w.until <= this.current);
    this.waiting = this.waiting.filter((w) => w.until > this.current);
    for (const w of due) w.resolve();
    await settle();
  }
}

/** Lets every queued promise continuation run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** An in-memory ledger that aborts `controller` once `afterParts` parts have been recorded, like a crash mid-upload. */
export class AbortingLedger extends MemoryUploadLedger {
  recorded = 0;

  constructor(
    private readonly controller: AbortController,
    private readonly afterParts: number,
  ) {
    super();
  }

  override partDone(key: string, uploadId: string, part: { partNumber: number; etag: string; size: number }): void {
    super.partDone(key, uploadId, part);
    this.recorded++;
    if (this.recorded >= this.afterParts) this.controller.abort();
  }
}

/** Progress reports must rise strictly and end at the size. */
export function expectProgress(reports: readonly number[], size: number): void {
  expect(reports.length).toBeGreaterThan(0);
  for (let i = 1; i < reports.length; i++) expect(reports[i]!).toBeGreaterThan(reports[i - 1]!);
  expect(reports.at(-1)).toBe(size);
}
