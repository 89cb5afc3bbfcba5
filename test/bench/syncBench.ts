// `npm run bench:sync`: Coffer's sync engine (the real `coffer agent`) against rclone, on the same embedded store, in one table.
//
// Phases (each side syncs the same local folder to its own bucket of one agent's store, over HTTPS):
//   1. initial sync of 5,000 x 4 KiB files in 50 folders      3. a no-change rescan
//   4. 50 of those files rewritten, then sync                   2. initial sync of 20 x 50 MiB
//   5. write-to-readable latency with the watcher on (Coffer only)
//   6. peak RSS (and time) syncing one 2 GiB file, on a freshly started agent
//
// Environment (all optional; shrink them for a quick check):
//   COFFER_BENCH_RUNS            runs of phases 1, 3, 4; the table shows medians (default 3)
//   COFFER_BENCH_LARGE_RUNS      runs of phases 2 and 6 (default 1)
//   COFFER_BENCH_SMALL_COUNT     small files (default 5000); 1% of them are rewritten in phase 4
//   COFFER_BENCH_SMALL_FOLDERS   folders they are spread over (default 50)
//   COFFER_BENCH_MEDIUM_COUNT    files of phase 2 (default 20)
//   COFFER_BENCH_MEDIUM_MIB      their size in MiB (default 50)
//   COFFER_BENCH_LARGE_MIB       the phase 6 file in MiB (default 2048)
//   COFFER_BENCH_EDITS           timed edits of phase 5 (default 200)
//   COFFER_BENCH_LATENCY_FILES   files in the phase 5 folder (default: COFFER_BENCH_SMALL_COUNT)
//   COFFER_BENCH_PHASES          comma list of small,medium,large,latency (default: all)
//   COFFER_BENCH_TRANSFERS       Coffer's transfersPerFolder (default 4, as rclone's --transfers)
//   COFFER_BENCH_RCLONE          the rclone binary (default /usr/bin/rclone); GNU time (/usr/bin/time) is needed too
//   COFFER_BENCH_STORE_THREAD    1: the agents run with "storeThread": true (the embedded store on a thread of its own)
//   COFFER_BENCH_CPU_PROF        a directory: every agent runs with --cpu-prof and writes its profile there, with
//                                phases.json for `node dist/test/bench/profileSummary.js <profile> <phases.json>`
// Quick check: COFFER_BENCH_RUNS=1 COFFER_BENCH_SMALL_COUNT=500 COFFER_BENCH_MEDIUM_COUNT=4 COFFER_BENCH_LARGE_MIB=256 COFFER_BENCH_EDITS=20 npm run bench:sync
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { systemRandom } from '../../main/core/crypto/random.js';
import { measureMachineLimits, type MachineLimits } from './machineLimits.js';
import { BenchAgent, type BenchAgentConfig } from './syncBenchAgent.js';
import { bigFilesRun, latencyRun, smallFilesRun, type PhaseContext, type PhaseWindow } from './syncBenchPhases.js';
import { Rclone } from './syncBenchRclone.js';
import { renderSyncReport } from './syncBenchReport.js';
import { emptyResults } from './syncBenchResults.js';
import { createBenchS3 } from './syncBenchS3.js';
import { readSettings, type SyncBenchSettings } from './syncBenchSettings.js';

/** Disk probe size for the machine summary, in MiB. */
const DISK_PROBE_MIB = 256;

function progress(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Agents and rclone runs alive right now, so an interruption can end them. */
const live = { agents: new Set<BenchAgent>(), rclones: new Set<Rclone>() };

/**
 * Starts an agent, builds rclone and the benchmark's S3 client for its store, runs `work`, and
 * stops the agent whatever happens.
 */
async function withAgent(
  shared: Omit<PhaseContext, 'agent' | 'rclone' | 's3'>,
  name: string,
  config: BenchAgentConfig,
  work: (ctx: PhaseContext) => Promise<void>,
): Promise<Rclone> {
  const { settings, root } = shared;
  const nodeFlags = settings.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(settings.profileDir)}`] : [];
  progress(`Starting agent "${name}" (${JSON.stringify(config)})...`);
  const passphrase = systemRandom(18).toString('base64url');
  const agent = await BenchAgent.start({ name, dataDir: join(root, `agent-${name}`), config, passphrase, nodeFlags });
  live.agents.add(agent);
  const workDir = join(root, `rclone-${name}`);
  mkdirSync(workDir);
  const rclone = new Rclone(settings.rcloneBin, agent.store, workDir);
  live.rclones.add(rclone);
  const s3 = createBenchS3(agent.store);
  try {
    await work({ ...shared, agent, rclone, s3 });
  } finally {
    s3.close();
    live.rclones.delete(rclone);
    await agent.stop();
    live.agents.delete(agent);
  }
  return rclone;
}

async function runAll(settings: SyncBenchSettings, root: string, shared: Omit<PhaseContext, 'agent' | 'rclone' | 's3'>): Promise<{ rcloneVersion: string; rcloneCommand: string }> {
  const timed: BenchAgentConfig = { watch: false, remotePollSeconds: 3600, transfersPerFolder: settings.transfers, storeThread: settings.storeThread };
  let rclone: Rclone | undefined;
  const { groups } = settings;
  if (groups.has('small') || groups.has('medium')) {
    rclone = await withAgent(shared, 'timed', timed, async (ctx) => {
      if (groups.has('small')) for (let run = 1; run <= settings.runs; run++) await smallFilesRun(ctx, run);
      if (groups.has('medium')) for (let run = 1; run <= settings.largeRuns; run++) await bigFilesRun(ctx, 'medium', run);
    });
  }
  if (groups.has('large')) {
    // A fresh agent: its peak RSS is the big file's doing, not what earlier phases left in its heap.
    rclone = await withAgent(shared, 'large', timed, async (ctx) => {
      for (let run = 1; run <= settings.largeRuns; run++) await bigFilesRun(ctx, 'large', run);
    });
  }
  if (groups.has('latency')) {
    const watched = await withAgent(shared, 'watch', { ...timed, watch: true }, (ctx) => latencyRun(ctx));
    rclone ??= watched;
  }
  if (!rclone) throw new Error('no phase selected');
  return { rcloneVersion: rclone.version(), rcloneCommand: rclone.describe(join(root, '<folder>'), '<bucket>').split(root).join('<tmp>') };
}

async function main(): Promise<number> {
  const settings = readSettings();
  const loadAtStart = loadavg();
  const cpuList = cpus();
  if (loadAtStart[0]! > cpuList.length / 2) progress(`WARNING: load average ${loadAtStart[0]!.toFixed(2)} on ${cpuList.length} CPUs: other work will skew the numbers (the build just before counts too).`);
  if (settings.profileDir) mkdirSync(resolve(settings.profileDir), { recursive: true });
  const root = mkdtempSync(join(tmpdir(), 'coffer-sync-bench-'));
  const results = emptyResults();
  const windows: PhaseWindow[] = [];
  const interrupted = (signal: NodeJS.Signals): void => {
    progress(`${signal}: stopping rclone and the agents, removing ${root}`);
    for (const r of live.rclones) r.kill();
    void Promise.allSettled([...live.agents].map((a) => a.stop())).finally(() => {
      rmSync(root, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let limits: MachineLimits | undefined;
  let rcloneInfo: { rcloneVersion: string; rcloneCommand: string };
  try {
    progress('Measuring this machine (AES-256-GCM and MD5 on one core, disk write + fsync)...');
    limits = measureMachineLimits(root, DISK_PROBE_MIB);
    rcloneInfo = await runAll(settings, root, { settings, root, results, windows, random: systemRandom, progress });
  } finally {
    for (const r of live.rclones) r.kill();
    for (const agent of live.agents) await agent.stop();
    rmSync(root, { recursive: true, force: true });
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
  const report = renderSyncReport({
    settings,
    results,
    ...rcloneInfo,
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    nodeVersion: process.version,
    loadAtStart,
    loadAtEnd: loadavg(),
    limits,
  });
  process.stdout.write(`\n${report}\n`);
  if (settings.profileDir) {
    writeFileSync(join(resolve(settings.profileDir), 'phases.json'), `${JSON.stringify(windows, null, 2)}\n`);
    process.stdout.write(`\nCPU profiles of the agents and phases.json written to ${resolve(settings.profileDir)}\n`);
  }
  return 0;
}

process.exitCode = await main();
