// What the sync benchmark measured: one sample per timed run of each side, and the summaries the table shows.
import type { LatencyResult } from './syncBenchLatency.js';

export type PhaseId = 'smallInitial' | 'noChange' | 'onePercent' | 'mediumInitial' | 'largeInitial';

/** One timed run of one side. */
export interface Sample {
  readonly seconds: number;
  /** CPU of the syncing process. For Coffer that is the agent, which also hosts the store. */
  readonly clientCpuSeconds: number;
  /** CPU the store spent beyond that: for rclone, the agent serving it; for Coffer 0 (already counted). */
  readonly storeCpuSeconds: number;
  /** Peak RSS of the syncing process (Coffer: the agent, store included). */
  readonly clientPeakRssBytes: number;
  /** rclone only: the agent's (the store's) peak RSS over the same window. */
  readonly storePeakRssBytes?: number;
}

export interface SyncBenchResults {
  readonly coffer: Partial<Record<PhaseId, Sample[]>>;
  readonly rclone: Partial<Record<PhaseId, Sample[]>>;
  latency?: LatencyResult;
}

export function emptyResults(): SyncBenchResults {
  return { coffer: {}, rclone: {} };
}

export function addSample(results: SyncBenchResults, side: 'coffer' | 'rclone', phase: PhaseId, sample: Sample): void {
  (results[side][phase] ??= []).push(sample);
}

/** The middle value (mean of the two middle ones for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100); undefined for no values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Median seconds over the runs. */
export function medianSeconds(samples: readonly Sample[] | undefined): number | undefined {
  return median((samples ?? []).map((s) => s.seconds));
}

/** Median CPU of client and store together. */
export function medianCpu(samples: readonly Sample[] | undefined): number | undefined {
  return median((samples ?? []).map((s) => s.clientCpuSeconds + s.storeCpuSeconds));
}

/** Highest peak over the runs, of the syncing process alone or with the store's added. */
export function peakRss(samples: readonly Sample[] | undefined, withStore: boolean): number | undefined {
  if (!samples || samples.length === 0) return undefined;
  return Math.max(...samples.map((s) => s.clientPeakRssBytes + (withStore ? (s.storePeakRssBytes ?? 0) : 0)));
}
