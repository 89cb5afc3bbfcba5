// Holds a folder's changed paths until they settle, then hands them on in batches for a rescan.
import { comparePaths, pathKey } from './pathKey.js';
import type { RelativePath, WatchEvent } from './syncTypes.js';

/** Time and timers, injectable so tests drive the aggregator step by step. */
export interface AggregatorClock {
  /** Milliseconds on a monotonic scale (only differences matter). */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The process's monotonic clock and Node's timers. */
export const systemClock: AggregatorClock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Paths to rescan, sorted in byte order; a directory means "everything under it", '' the whole folder. */
export interface DirtyBatch {
  readonly paths: readonly RelativePath[];
}

export interface AggregatorOptions {
  /** Whether the folder's file system ignores case: then 'A.txt' and 'a.txt' are one path. */
  readonly caseInsensitive: boolean;
  /** Receives each batch; must not throw (it runs from a timer). May call push again. */
  readonly onBatch: (batch: DirtyBatch) => void;
  /** A path is handed on once it has had no event for this long (ms, default 300): saves settle first. */
  readonly quietMs?: number;
  /** ...or once this long has passed since its first pending event (ms, default 5000), settled or not. */
  readonly maxWaitMs?: number;
  /** More pending paths than this directly in one directory become that directory (default 100). */
  readonly maxPathsPerDirectory?: number;
  /** More pending paths than this in all become the whole folder (default 10 000); bounds memory. */
  readonly maxPathsTotal?: number;
  readonly clock?: AggregatorClock;
}

export const DEFAULT_QUIET_MS = 300;
export const DEFAULT_MAX_WAIT_MS = 5000;
export const DEFAULT_MAX_PATHS_PER_DIRECTORY = 100;
export const DEFAULT_MAX_PATHS_TOTAL = 10_000;

/** A pending path; a directory's entry covers everything under it. */
interface Pending {
  path: RelativePath;
  firstMs: number;
  lastMs: number;
}

/** One path segment. A node with `pending` has no children: its entry covers them. */
interface Node {
  readonly spelling: RelativePath;
  readonly children: Map<string, Node>;
  pending?: Pending;
}

/**
 * One per folder. push() marks the events' paths pending (keyed by pathKey, so case and Unicode
 * twins are one path); a timer hands on every path that is due, in one batch. A path inside a pending
 * directory only refreshes the directory's entry; an event on a directory absorbs pending paths under it.
 */
export class EventAggregator {
  private readonly root: Node = { spelling: '', children: new Map() };
  private readonly quietMs: number;
  private readonly maxWaitMs: number;
  private readonly maxPerDirectory: number;
  private readonly maxTotal: number;
  private readonly clock: AggregatorClock;
  private pendingTotal = 0;
  private timer: { handle: unknown; dueMs: number } | undefined;
  private closed = false;

  /** Throws RangeError when a limit is negative, not a number, or a count limit is below 1. */
  constructor(private readonly options: AggregatorOptions) {
    this.quietMs = nonNegative('quietMs', options.quietMs ?? DEFAULT_QUIET_MS);
    this.maxWaitMs = nonNegative('maxWaitMs', options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
    this.maxPerDirectory = atLeastOne('maxPathsPerDirectory', options.maxPathsPerDirectory ?? DEFAULT_MAX_PATHS_PER_DIRECTORY);
    this.maxTotal = atLeastOne('maxPathsTotal', options.maxPathsTotal ?? DEFAULT_MAX_PATHS_TOTAL);
    this.clock = options.clock ?? systemClock;
  }

  /** How many entries wait (a widened directory counts once). */
  get pendingCount(): number {
    return this.pendingTotal;
  }

  /** Marks the events' paths pending. Ignored after close(). */
  push(events: readonly WatchEvent[]): void {
    if (this.closed) return;
    const now = this.clock.now();
    let earliest = Infinity;
    for (const event of events) earliest = Math.min(earliest, this.dueMs(this.mark(event.path, now)));
    if (this.pendingTotal > this.maxTotal) earliest = Math.min(earliest, this.dueMs(this.collapse(this.root)));
    // Events only push existing entries' due times later, so a timer that is already earlier can stay:
    // when it fires early it finds nothing due and sets itself again. This keeps push O(path depth).
    if (earliest !== Infinity && (this.timer === undefined || earliest < this.timer.dueMs)) this.setTimer(earliest);
  }

  /** Hands on everything pending now, due or not (e.g. before a manual sync). */
  flush(): void {
    if (this.closed) return;
    this.emit(() => true);
  }

  /** Drops everything pending and stops the timer; later pushes are ignored. */
  close(): void {
    this.closed = true;
    this.cancelTimer();
    this.root.children.clear();
    this.root.pending = undefined;
    this.pendingTotal = 0;
  }

  /** Marks one path pending and returns the entry that now covers it. */
  private mark(path: RelativePath, now: number): Pending {
    const keys = path === '' ? [] : pathKey(path, this.options.caseInsensitive).split('/');
    const spelled = path === '' ? [] : path.split('/');
    let node = this.root;
    let grew: Node | undefined;
    for (let depth = 0; depth <= keys.length; depth++) {
      if (node.pending !== undefined) {
        node.pending.lastMs = now;
        if (depth === keys.length) node.pending.path = path;
        return node.pending;
      }
      if (depth === keys.length) break;
      let child = node.children.get(keys[depth]!);
      if (child === undefined) {
        child = { spelling: spelled.slice(0, depth + 1).join('/'), children: new Map() };
        node.children.set(keys[depth]!, child);
        grew ??= node;
      }
      node = child;
    }
    let pending: Pending;
    if (node.children.size > 0) pending = this.collapse(node);
    else {
      pending = { path, firstMs: now, lastMs: now };
      node.pending = pending;
      this.pendingTotal++;
    }
    pending.path = path;
    pending.lastMs = now;
    // Only the shallowest node that gained a child can have gone over the per-directory limit.
    if (grew !== undefined && grew.children.size > this.maxPerDirectory) return this.collapse(grew);
    return pending;
  }

  /** Replaces the pending entries under `node` with one entry for `node` that keeps their earliest start. */
  private collapse(node: Node): Pending {
    let firstMs = Infinity;
    let lastMs = -Infinity;
    const visit = (n: Node): void => {
      if (n.pending !== undefined) {
        firstMs = Math.min(firstMs, n.pending.firstMs);
        lastMs = Math.max(lastMs, n.pending.lastMs);
        this.pendingTotal--;
      }
      n.children.forEach(visit);
    };
    visit(node);
    node.children.clear();
    node.pending = { path: node.spelling, firstMs, lastMs };
    this.pendingTotal++;
    return node.pending;
  }

  private dueMs(pending: Pending): number {
    return Math.min(pending.lastMs + this.quietMs, pending.firstMs + this.maxWaitMs);
  }

  /** Sets the one timer for the earliest due entry, or none when nothing waits. */
  private schedule(): void {
    let earliest = Infinity;
    this.forEachPending((pending) => {
      earliest = Math.min(earliest, this.dueMs(pending));
    });
    if (earliest === Infinity) this.cancelTimer();
    else this.setTimer(earliest);
  }

  private setTimer(dueMs: number): void {
    this.cancelTimer();
    const delay = Math.max(0, dueMs - this.clock.now());
    this.timer = { dueMs, handle: this.clock.setTimeout(() => this.onTimer(), delay) };
  }

  private onTimer(): void {
    this.timer = undefined;
    if (this.closed) return;
    const now = this.clock.now();
    this.emit((pending) => this.dueMs(pending) <= now);
  }

  /** Removes the entries `isDue` selects, reschedules, then hands them on (state is settled first). */
  private emit(isDue: (pending: Pending) => boolean): void {
    const paths: RelativePath[] = [];
    const prune = (node: Node): void => {
      if (node.pending !== undefined && isDue(node.pending)) {
        paths.push(node.pending.path);
        node.pending = undefined;
        this.pendingTotal--;
      }
      for (const [key, child] of node.children) {
        prune(child);
        if (child.pending === undefined && child.children.size === 0) node.children.delete(key);
      }
    };
    prune(this.root);
    this.schedule();
    if (paths.length > 0) this.options.onBatch({ paths: paths.sort(comparePaths) });
  }

  private forEachPending(visit: (pending: Pending) => void): void {
    const walk = (node: Node): void => {
      if (node.pending !== undefined) visit(node.pending);
      node.children.forEach(walk);
    };
    walk(this.root);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer.handle);
    this.timer = undefined;
  }
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a finite number >= 0`);
  return value;
}

function atLeastOne(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number >= 1`);
  return value;
}
