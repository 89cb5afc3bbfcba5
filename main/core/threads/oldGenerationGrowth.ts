// How far V8 lets the old generation grow past what was live at the last full collection.
import { setFlagsFromString } from 'node:v8';

/**
 * The store's small requests promote a few kilobytes each to the old generation (request state that
 * outlives a scavenge while its commit waits for the group fsync), nearly all of it dead soon after.
 * V8 starts the next full collection only when the old generation reaches up to four times what was
 * live after the last one, so a store with about 20 MB live grew to 58 MB of old space after 8,000
 * small requests and 74 MB after 16,000, and kept that resident. Capped at 1.5 times, the same
 * sequence stayed at 18 to 27 MB, and the store's resident size at 168 MB instead of 214.
 */
export const OLD_GENERATION_GROWTH_PERCENT = 50;

/**
 * While a long stream runs, the old generation may grow to twice what was live. At 1.5 times, the room
 * V8 leaves above the store's small live heap (about 15 MB) is too little for its young generation, so
 * it starts incremental marking again as soon as a cycle ends: a 1 GiB PUT ran 17 to 41 full
 * collections that found nothing to free (old space 15.4 -> 15.0 MB) and took 0.4 to 1 s more CPU. At
 * twice, it ran one. V8's own factor (the flag at 0) did as well for the PUT, but the limit it set
 * outlived the stream, and the small requests after it took the store's peak to 212 and 214 MB in full
 * benchmark runs, against 175 MB at twice.
 */
export const STREAMING_GROWTH_PERCENT = 100;

/** Streams at least this long lift the cap: the spent-buffer collection step, as a shorter stream ends before its first collection. */
export const LIFT_FOR_STREAM_BYTES = 4 * 1024 * 1024;

/** The cap and its lifting, over a setter of V8's flag (so the bookkeeping is testable on its own). */
export class GrowthCap {
  private largeStreams = 0;

  constructor(
    readonly percent: number,
    private readonly setGrowingPercent: (percent: number) => void,
    private readonly liftForStreamBytes: number = LIFT_FOR_STREAM_BYTES,
  ) {
    if (!Number.isInteger(percent) || percent <= 0) throw new RangeError(`old-generation growth must be a positive whole percent, not ${percent}`);
  }

  apply(): void {
    this.setGrowingPercent(this.percent);
  }

  /** True while at least one large stream runs (the cap is then STREAMING_GROWTH_PERCENT). */
  get lifted(): boolean {
    return this.largeStreams > 0;
  }

  /**
   * Declares a stream of `bytes` starting; returns the call that ends it (safe to call twice). V8
   * reads the flag at its next full collection, so a lift or a restore takes effect there.
   */
  streamStarting(bytes: number): () => void {
    if (!(bytes >= this.liftForStreamBytes)) return noop;
    if (this.largeStreams++ === 0) this.setGrowingPercent(STREAMING_GROWTH_PERCENT);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.largeStreams === 0) this.setGrowingPercent(this.percent);
    };
  }
}

function noop(): void {}

let processCap: GrowthCap | undefined;

/**
 * Sets V8's growing factor for every isolate of this process (V8 reads it at each full collection).
 * `coffer store` calls it; the agent does not, as its heap holds a sync cycle's state.
 */
export function limitOldGenerationGrowth(percent: number = OLD_GENERATION_GROWTH_PERCENT): void {
  const cap = new GrowthCap(percent, (p) => setFlagsFromString(`--heap-growing-percent=${p}`));
  cap.apply();
  processCap = cap;
}

/** Declares a request or response body stream of `bytes`; returns the call that ends it. A no-op without the cap. */
export function streamStarting(bytes: number): () => void {
  return processCap?.streamStarting(bytes) ?? noop;
}
