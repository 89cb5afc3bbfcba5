// Write-to-readable latency: rewrite a file in a watched folder, then poll HeadObject until the store holds the new content's hash.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RandomSource } from '../../main/core/crypto/random.js';
import { headObject, type BenchS3 } from './syncBenchS3.js';

/** Between two HeadObject polls; also the resolution of every latency measured. */
export const POLL_INTERVAL_MS = 20;
/** An edit not readable after this long counts as a timeout (and the next edit starts). */
const EDIT_TIMEOUT_MS = 30_000;
/** Untimed edits first: they prove the watcher is live and warm the path end to end. */
const WARM_UP_EDITS = 3;

export interface LatencyResult {
  /** One per timed edit that became readable, in edit order. */
  readonly latenciesMs: number[];
  readonly timeouts: number;
}

export interface LatencyOptions {
  readonly s3: BenchS3;
  readonly bucket: string;
  /** The watched folder on disk. */
  readonly root: string;
  /** Files (relative paths, already synced) the edits cycle through. */
  readonly paths: readonly string[];
  readonly edits: number;
  readonly bytes: number;
  readonly random: RandomSource;
  readonly progress: (line: string) => void;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Milliseconds from the write until HeadObject shows `sha256`, or undefined after the timeout. */
async function oneEdit(options: LatencyOptions, path: string): Promise<number | undefined> {
  const body = options.random(options.bytes);
  const sha256 = createHash('sha256').update(body).digest('hex');
  const started = performance.now();
  writeFileSync(join(options.root, path), body);
  while (performance.now() - started < EDIT_TIMEOUT_MS) {
    const head = await headObject(options.s3, options.bucket, path);
    if (head?.metadata['coffer-sha256'] === sha256) return performance.now() - started;
    await sleep(POLL_INTERVAL_MS);
  }
  return undefined;
}

/**
 * Edits files one after another (each waits for the previous one to be readable), each a file
 * far from the last in the list so the edits touch many folders. Error if a warm-up edit times
 * out: then the watcher is not working and the timed edits would only measure timeouts.
 */
export async function measureWriteToReadable(options: LatencyOptions): Promise<LatencyResult> {
  const { paths } = options;
  // A stride coprime with the file count visits every file before any repeats.
  let stride = Math.max(1, Math.floor(paths.length / 7) + 1);
  while (gcd(stride, paths.length) !== 1) stride++;
  let at = 0;
  const nextPath = (): string => {
    at = (at + stride) % paths.length;
    return paths[at]!;
  };
  for (let i = 0; i < WARM_UP_EDITS; i++) {
    if ((await oneEdit(options, nextPath())) === undefined) throw new Error(`a warm-up edit was not readable within ${EDIT_TIMEOUT_MS / 1000} s: is the watcher running?`);
  }
  const latenciesMs: number[] = [];
  let timeouts = 0;
  for (let i = 0; i < options.edits; i++) {
    const ms = await oneEdit(options, nextPath());
    if (ms === undefined) timeouts++;
    else latenciesMs.push(ms);
    if ((i + 1) % 50 === 0) options.progress(`  ${i + 1}/${options.edits} edits, last ${ms === undefined ? 'timed out' : `${Math.round(ms)} ms`}`);
  }
  return { latenciesMs, timeouts };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
