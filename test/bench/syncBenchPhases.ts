// The sync benchmark's phases: each prepares a folder, times Coffer's cycle and then rclone on the same files, and checks both buckets.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RandomSource } from '../../main/core/crypto/random.js';
import type { BenchAgent } from './syncBenchAgent.js';
import { rewriteFiles, spreadPick, writeBigFile, writeBigFiles, writeSmallTree } from './syncBenchFiles.js';
import { measureWriteToReadable } from './syncBenchLatency.js';
import type { Rclone } from './syncBenchRclone.js';
import { addSample, type PhaseId, type Sample, type SyncBenchResults } from './syncBenchResults.js';
import { expectBucket, expectContents, type BenchS3 } from './syncBenchS3.js';
import type { SyncBenchSettings } from './syncBenchSettings.js';

const MIB = 1024 * 1024;

/** A timed window on the monotonic clock (microseconds), which V8's CPU profiles share, for profileSummary.js. */
export interface PhaseWindow {
  target: string;
  workload: string;
  run: number;
  startUs: number;
  endUs: number;
}

/** Everything a phase needs: one agent, its store reached by rclone and by the benchmark's own client. */
export interface PhaseContext {
  readonly settings: SyncBenchSettings;
  readonly root: string;
  readonly agent: BenchAgent;
  readonly rclone: Rclone;
  readonly s3: BenchS3;
  readonly results: SyncBenchResults;
  readonly windows: PhaseWindow[];
  readonly random: RandomSource;
  readonly progress: (line: string) => void;
}

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Flushes dirty pages outside any timing, so one step's writeback never lands in the next one's fsyncs. */
function settle(): void {
  execFileSync('sync');
}

function describe(side: string, s: Sample): string {
  const store = s.storeCpuSeconds > 0 ? ` + store ${s.storeCpuSeconds.toFixed(2)} s` : '';
  return `${side} ${s.seconds.toFixed(2)} s (CPU ${s.clientCpuSeconds.toFixed(2)} s${store}, peak RSS ${(s.clientPeakRssBytes / 1e6).toFixed(0)} MB)`;
}

async function timeCoffer(ctx: PhaseContext, folderId: string, phase: PhaseId, run: number): Promise<void> {
  const { agent } = ctx;
  settle();
  agent.probe.startPeak();
  const cpuBefore = agent.probe.cpuSeconds();
  const startUs = monotonicUs();
  await agent.syncNow(folderId);
  const endUs = monotonicUs();
  const sample: Sample = { seconds: (endUs - startUs) / 1e6, clientCpuSeconds: agent.probe.cpuSeconds() - cpuBefore, storeCpuSeconds: 0, clientPeakRssBytes: agent.probe.endPeak() };
  ctx.windows.push({ target: `coffer-${agent.name}`, workload: phase, run, startUs, endUs });
  await agent.expectClean(folderId);
  addSample(ctx.results, 'coffer', phase, sample);
  ctx.progress(`  ${phase}: ${describe('Coffer', sample)}`);
}

async function timeRclone(ctx: PhaseContext, dir: string, bucket: string, phase: PhaseId): Promise<void> {
  const { agent } = ctx;
  settle();
  agent.probe.startPeak();
  const storeCpuBefore = agent.probe.cpuSeconds();
  const run = await ctx.rclone.sync(dir, bucket);
  const sample: Sample = {
    seconds: run.seconds,
    clientCpuSeconds: run.cpuSeconds,
    storeCpuSeconds: agent.probe.cpuSeconds() - storeCpuBefore,
    clientPeakRssBytes: run.peakRssBytes,
    storePeakRssBytes: agent.probe.endPeak(),
  };
  addSample(ctx.results, 'rclone', phase, sample);
  ctx.progress(`  ${phase}: ${describe('rclone', sample)}`);
}

/** Adds an empty folder and waits out the cycle the agent starts on its own, so the timed cycle is the only one. */
async function freshFolder(ctx: PhaseContext, dir: string, bucket: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const folderId = await ctx.agent.addFolder(dir, bucket);
  await ctx.agent.syncNow(folderId);
  return folderId;
}

/** Phases 1, 3 and 4 for one run: initial sync of the small files, a no-change rescan, a 1% rewrite. */
export async function smallFilesRun(ctx: PhaseContext, run: number): Promise<void> {
  const { settings: s, agent } = ctx;
  ctx.progress(`Small files, run ${run}/${s.runs}:`);
  const dir = join(ctx.root, `small-${run}`);
  const cofferBucket = `coffer-small-${run}`;
  const rcloneBucket = `rclone-small-${run}`;
  const folderId = await freshFolder(ctx, dir, cofferBucket);
  const paths = writeSmallTree(dir, s.smallCount, s.smallFolders, s.smallBytes, ctx.random);

  await timeCoffer(ctx, folderId, 'smallInitial', run);
  await expectBucket(ctx.s3, cofferBucket, paths, s.smallBytes, 'Coffer');
  await timeRclone(ctx, dir, rcloneBucket, 'smallInitial');
  await expectBucket(ctx.s3, rcloneBucket, paths, s.smallBytes, 'rclone');

  await timeCoffer(ctx, folderId, 'noChange', run);
  await timeRclone(ctx, dir, rcloneBucket, 'noChange');

  const changed = rewriteFiles(dir, spreadPick(paths, Math.max(1, Math.round(s.smallCount / 100))), s.smallBytes, ctx.random);
  await timeCoffer(ctx, folderId, 'onePercent', run);
  await expectContents(ctx.s3, cofferBucket, changed, 'coffer-sha256', 'Coffer');
  await timeRclone(ctx, dir, rcloneBucket, 'onePercent');
  await expectContents(ctx.s3, rcloneBucket, changed, 'md5-etag', 'rclone');

  await agent.removeFolder(folderId);
  rmSync(dir, { recursive: true, force: true });
}

/** Phase 2 (`kind` medium: several big files) or 6 (`kind` large: one very big file), one run. */
export async function bigFilesRun(ctx: PhaseContext, kind: 'medium' | 'large', run: number): Promise<void> {
  const { settings: s, agent } = ctx;
  const dir = join(ctx.root, `${kind}-${run}`);
  const cofferBucket = `coffer-${kind}-${run}`;
  const rcloneBucket = `rclone-${kind}-${run}`;
  const folderId = await freshFolder(ctx, dir, cofferBucket);
  const mib = kind === 'medium' ? s.mediumMiB : s.largeMiB;
  ctx.progress(`${kind === 'medium' ? `${s.mediumCount} files` : 'One file'} of ${mib} MiB, run ${run}/${s.largeRuns}: writing...`);
  let paths: string[];
  if (kind === 'medium') {
    paths = writeBigFiles(dir, s.mediumCount, mib, ctx.random);
  } else {
    paths = ['big.bin'];
    writeBigFile(join(dir, 'big.bin'), mib, 0, ctx.random);
  }
  const phase: PhaseId = kind === 'medium' ? 'mediumInitial' : 'largeInitial';
  await timeCoffer(ctx, folderId, phase, run);
  await expectBucket(ctx.s3, cofferBucket, paths, mib * MIB, 'Coffer');
  await timeRclone(ctx, dir, rcloneBucket, phase);
  await expectBucket(ctx.s3, rcloneBucket, paths, mib * MIB, 'rclone');
  await agent.removeFolder(folderId);
  rmSync(dir, { recursive: true, force: true });
}

/** Phase 5 on an agent whose watcher is on: a synced folder of small files, then timed edits. */
export async function latencyRun(ctx: PhaseContext): Promise<void> {
  const { settings: s, agent } = ctx;
  const dir = join(ctx.root, 'latency');
  const bucket = 'coffer-latency';
  ctx.progress(`Write to readable: syncing a ${s.latencyFiles}-file folder, then ${s.edits} edits...`);
  mkdirSync(dir, { recursive: true });
  const paths = writeSmallTree(dir, s.latencyFiles, Math.min(s.smallFolders, s.latencyFiles), s.smallBytes, ctx.random);
  const folderId = await agent.addFolder(dir, bucket);
  await agent.syncNow(folderId);
  await agent.expectClean(folderId);
  await expectBucket(ctx.s3, bucket, paths, s.smallBytes, 'Coffer');
  const startUs = monotonicUs();
  ctx.results.latency = await measureWriteToReadable({ s3: ctx.s3, bucket, root: dir, paths, edits: s.edits, bytes: s.smallBytes, random: ctx.random, progress: ctx.progress });
  ctx.windows.push({ target: `coffer-${agent.name}`, workload: 'writeToReadable', run: 1, startUs, endUs: monotonicUs() });
}
