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
 * Sets V8's growing factor for every isolate of this process (V8 reads it at each full collection).
 * `coffer store` calls it; the agent does not, as its heap holds a sync cycle's state.
 */
export function limitOldGenerationGrowth(percent: number = OLD_GENERATION_GROWTH_PERCENT): void {
  if (!Number.isInteger(percent) || percent <= 0) throw new RangeError(`old-generation growth must be a positive whole percent, not ${percent}`);
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
