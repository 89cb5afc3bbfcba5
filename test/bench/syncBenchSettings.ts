// The sync benchmark's knobs, read from the environment (documented in syncBench.ts) and checked before anything starts.
export type PhaseGroup = 'small' | 'medium' | 'latency' | 'large';

const ALL_GROUPS: readonly PhaseGroup[] = ['small', 'medium', 'large', 'latency'];

export interface SyncBenchSettings {
  /** Runs of the cheap phases (small-file initial sync, no-change rescan, 1% change); the table shows medians. */
  readonly runs: number;
  /** Runs of the 50 MiB and 2 GiB phases. */
  readonly largeRuns: number;
  readonly smallCount: number;
  readonly smallFolders: number;
  readonly smallBytes: number;
  readonly mediumCount: number;
  readonly mediumMiB: number;
  readonly largeMiB: number;
  /** Timed edits of the write-to-readable phase (plus a few untimed warm-up edits). */
  readonly edits: number;
  /** Files in the folder the edits happen in (the edits touch files spread across it). */
  readonly latencyFiles: number;
  /** Files in flight per folder (Coffer's transfersPerFolder); rclone keeps its default --transfers 4. */
  readonly transfers: number;
  readonly rcloneBin: string;
  readonly groups: ReadonlySet<PhaseGroup>;
  /** A directory: the agents run with --cpu-prof and write their profiles there, with phases.json. */
  readonly profileDir: string | undefined;
  /** The agents' storeThread setting (COFFER_BENCH_STORE_THREAD=1): the store on a thread of its own. */
  readonly storeThread: boolean;
}

/** A positive whole number from the environment; Error naming the variable otherwise. */
function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, got ${text}`);
  return n;
}

function selectedGroups(text: string | undefined): Set<PhaseGroup> {
  if (!text) return new Set(ALL_GROUPS);
  const picked = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const p of picked) if (!ALL_GROUPS.includes(p as PhaseGroup)) throw new Error(`COFFER_BENCH_PHASES: unknown phase group ${p} (use ${ALL_GROUPS.join(',')})`);
  return new Set(picked as PhaseGroup[]);
}

/** Error for a malformed value or a folder count larger than the file count. */
export function readSettings(env: NodeJS.ProcessEnv = process.env): SyncBenchSettings {
  const smallCount = positiveInt(env, 'COFFER_BENCH_SMALL_COUNT', 5000);
  const smallFolders = positiveInt(env, 'COFFER_BENCH_SMALL_FOLDERS', 50);
  if (smallFolders > smallCount) throw new Error('COFFER_BENCH_SMALL_FOLDERS must not exceed COFFER_BENCH_SMALL_COUNT');
  return {
    runs: positiveInt(env, 'COFFER_BENCH_RUNS', 3),
    largeRuns: positiveInt(env, 'COFFER_BENCH_LARGE_RUNS', 1),
    smallCount,
    smallFolders,
    smallBytes: 4096,
    mediumCount: positiveInt(env, 'COFFER_BENCH_MEDIUM_COUNT', 20),
    mediumMiB: positiveInt(env, 'COFFER_BENCH_MEDIUM_MIB', 50),
    largeMiB: positiveInt(env, 'COFFER_BENCH_LARGE_MIB', 2048),
    edits: positiveInt(env, 'COFFER_BENCH_EDITS', 200),
    latencyFiles: positiveInt(env, 'COFFER_BENCH_LATENCY_FILES', smallCount),
    transfers: positiveInt(env, 'COFFER_BENCH_TRANSFERS', 4),
    rcloneBin: env.COFFER_BENCH_RCLONE || '/usr/bin/rclone',
    groups: selectedGroups(env.COFFER_BENCH_PHASES),
    profileDir: env.COFFER_BENCH_CPU_PROF || undefined,
    storeThread: env.COFFER_BENCH_STORE_THREAD === '1',
  };
}

/** "2 GiB" for whole GiB, "50 MiB" otherwise. */
export function sizeLabel(mib: number): string {
  return mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;
}
