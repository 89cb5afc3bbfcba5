// Starts a real watcher on a temp dir and collects what it reports, with a bounded wait for expected events.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWatcher, type FolderWatcher, type WatcherOptions } from '../../../../main/core/sync/watch/chokidarWatcher.js';
import type { RawWatchEvent, WatchMode, WatcherError } from '../../../../main/core/sync/watch/watchEvents.js';

/** Generous: a wait that runs out fails the test with what did arrive, it never measures speed. */
const WAIT_LIMIT_MS = 15_000;

export class WatchHarness {
  readonly dir = mkdtempSync(join(tmpdir(), 'coffer-watch-'));
  readonly root = join(this.dir, 'synced');
  readonly batches: RawWatchEvent[][] = [];
  readonly errors: WatcherError[] = [];
  readonly modeChanges: { mode: WatchMode; reason: string }[] = [];
  watcher: FolderWatcher | undefined;

  constructor() {
    mkdirSync(this.root);
  }

  get events(): RawWatchEvent[] {
    return this.batches.flat();
  }

  async start(options: Partial<WatcherOptions> = {}): Promise<FolderWatcher> {
    this.watcher = startWatcher(this.root, {
      onEvents: (events) => this.batches.push(events),
      onError: (error) => this.errors.push(error),
      onModeChange: (mode, reason) => this.modeChanges.push({ mode, reason }),
      ...options,
    });
    await this.watcher.ready;
    return this.watcher;
  }

  /** Resolves once every expected event has arrived (in any order, among others). */
  async waitForEvents(expected: readonly RawWatchEvent[]): Promise<void> {
    await this.waitUntil(() => expected.every((e) => this.events.some((got) => got.type === e.type && got.path === e.path)), () =>
      `expected ${JSON.stringify(expected)}, got ${JSON.stringify(this.events)}`,
    );
  }

  async waitUntil(condition: () => boolean, describe: () => string): Promise<void> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async cleanup(): Promise<void> {
    await this.watcher?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
