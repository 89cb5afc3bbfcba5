// Renders the sync benchmark's one table (Coffer and rclone side by side, with ratios and target verdicts) and its notes.
import type { MachineLimits } from './machineLimits.js';
import { POLL_INTERVAL_MS } from './syncBenchLatency.js';
import { medianCpu, medianSeconds, peakRss, percentile, type PhaseId, type Sample, type SyncBenchResults } from './syncBenchResults.js';
import { sizeLabel, type SyncBenchSettings } from './syncBenchSettings.js';

export interface ReportContext {
  readonly settings: SyncBenchSettings;
  readonly results: SyncBenchResults;
  readonly rcloneVersion: string;
  /** The rclone command line as run, with placeholders for the per-run parts. */
  readonly rcloneCommand: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly nodeVersion: string;
  readonly loadAtStart: readonly number[];
  readonly loadAtEnd: readonly number[];
  readonly limits: MachineLimits | undefined;
}

type Verdict = { target: string; pass: boolean | undefined };

interface Row {
  label: string;
  coffer?: number;
  rclone?: number;
  /** Text instead of a number in the rclone column. */
  rcloneText?: string;
  format: (v: number) => string;
  verdict?: Verdict;
}

const MB = 1e6;

function seconds(v: number): string {
  return v < 10 ? `${v.toFixed(2)} s` : `${v.toFixed(1)} s`;
}
function millis(v: number): string {
  return `${Math.round(v).toLocaleString('en-US')} ms`;
}
function megabytes(v: number): string {
  return `${(v / MB).toFixed(0)} MB`;
}
function count(n: number): string {
  return n.toLocaleString('en-US');
}

function verdictText(v: Verdict | undefined): string {
  if (!v) return '';
  return v.pass === undefined ? 'N/A' : v.pass ? 'PASS' : 'MISS';
}

function phaseLabels(s: SyncBenchSettings): Record<PhaseId, string> {
  const changed = Math.max(1, Math.round(s.smallCount / 100));
  const once = (n: number): string => (n === 1 ? ', once' : `, median of ${n}`);
  return {
    smallInitial: `1. initial sync, ${count(s.smallCount)} x 4 KiB in ${s.smallFolders} folders${once(s.runs)}`,
    mediumInitial: `2. initial sync, ${s.mediumCount} x ${sizeLabel(s.mediumMiB)}${once(s.largeRuns)}`,
    noChange: `3. no-change rescan${once(s.runs)}`,
    onePercent: `4. 1% change: ${changed} of ${count(s.smallCount)} files rewritten${once(s.runs)}`,
    largeInitial: `6. initial sync, 1 x ${sizeLabel(s.largeMiB)}${once(s.largeRuns)}`,
  };
}

const TIMED: readonly PhaseId[] = ['smallInitial', 'mediumInitial', 'noChange', 'onePercent', 'largeInitial'];

function buildRows(ctx: ReportContext): { section: string; rows: Row[] }[] {
  const { results, settings } = ctx;
  const labels = phaseLabels(settings);
  const c = results.coffer;
  const r = results.rclone;
  const smallC = medianSeconds(c.smallInitial);
  const smallR = medianSeconds(r.smallInitial);
  const noopC = medianSeconds(c.noChange);
  const noopR = medianSeconds(r.noChange);
  const both = (a: number | undefined, b: number | undefined): boolean => a !== undefined && b !== undefined;
  const timeVerdicts: Partial<Record<PhaseId, Verdict>> = {
    smallInitial: { target: 'faster than rclone', pass: both(smallC, smallR) ? smallC! < smallR! : undefined },
    noChange: { target: '>= 10x faster than rclone', pass: both(noopC, noopR) ? noopR! / noopC! >= 10 : undefined },
  };
  const latency = results.latency?.latenciesMs ?? [];
  const p50 = percentile(latency, 50);
  const largePeak = peakRss(c.largeInitial, false);
  const noWatcher = 'n/a: no watcher';
  const rssRow = (phase: PhaseId, label: string, verdict?: Verdict): Row => ({ label, coffer: peakRss(c[phase], false), rclone: peakRss(r[phase], false), format: megabytes, verdict });
  return [
    { section: 'Wall time', rows: TIMED.map((p) => ({ label: labels[p], coffer: medianSeconds(c[p]), rclone: medianSeconds(r[p]), format: seconds, verdict: timeVerdicts[p] })) },
    {
      section: `5. Write to readable, watcher on (${count(settings.edits)} edits in a ${count(settings.latencyFiles)}-file folder)`,
      rows: [
        { label: '5. p50', coffer: p50, rcloneText: noWatcher, format: millis, verdict: { target: '< 1 s', pass: p50 === undefined ? undefined : p50 < 1000 } },
        { label: '5. p99', coffer: percentile(latency, 99), rcloneText: noWatcher, format: millis },
        { label: '5. max', coffer: percentile(latency, 100), rcloneText: noWatcher, format: millis },
      ],
    },
    { section: 'CPU, syncing process + store process', rows: TIMED.map((p) => ({ label: labels[p].replace(/, (once|median of \d+)$/, ''), coffer: medianCpu(c[p]), rclone: medianCpu(r[p]), format: seconds })) },
    {
      section: 'Peak RSS of the syncing process (Coffer: the agent, embedded store included; rclone: rclone alone)',
      rows: [
        rssRow('largeInitial', `6. 1 x ${sizeLabel(settings.largeMiB)}`, { target: '< 250 MB', pass: largePeak === undefined ? undefined : largePeak < 250 * MB }),
        { label: `6. 1 x ${sizeLabel(settings.largeMiB)}, rclone + store process (sum of peaks)`, coffer: largePeak, rclone: peakRss(r.largeInitial, true), format: megabytes },
        rssRow('mediumInitial', `2. ${settings.mediumCount} x ${sizeLabel(settings.mediumMiB)}`),
        rssRow('smallInitial', `1. ${count(settings.smallCount)} x 4 KiB`),
      ],
    },
  ];
}

function renderTable(ctx: ReportContext): { lines: string[]; verdicts: (Verdict & { label: string; value: string })[] } {
  const header = ['Measure', 'Coffer', 'rclone', 'rclone/Coffer', 'Target', ''];
  const body: string[][] = [];
  const verdicts: (Verdict & { label: string; value: string })[] = [];
  for (const { section, rows } of buildRows(ctx)) {
    body.push([section, '', '', '', '', '']);
    for (const row of rows) {
      const cof = row.coffer === undefined ? '-' : row.format(row.coffer);
      const rcl = row.rcloneText ?? (row.rclone === undefined ? '-' : row.format(row.rclone));
      const ratio = row.coffer !== undefined && row.rclone !== undefined && row.coffer > 0 ? `${(row.rclone / row.coffer).toFixed(2)}x` : '';
      body.push([`  ${row.label.trim()}`, cof, rcl, ratio, row.verdict?.target ?? '', verdictText(row.verdict)]);
      if (row.verdict) verdicts.push({ ...row.verdict, label: row.label.trim(), value: ratio ? `${cof} vs ${rcl} (${ratio})` : cof });
    }
  }
  const isSection = (r: string[]): boolean => r.slice(1).every((x) => x === '');
  const widths = header.map((h, i) => Math.max(h.length, ...body.filter((r) => !isSection(r)).map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : i >= 4 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ').trimEnd();
  const lines = [line(header), widths.map((w) => '-'.repeat(w)).join('-+-')];
  for (const r of body) lines.push(isSection(r) ? r[0]! : line(r));
  return { lines, verdicts };
}

function runList(samples: readonly Sample[] | undefined): string {
  return (samples ?? []).map((s) => s.seconds.toFixed(2)).join(', ') || '-';
}

export function renderSyncReport(ctx: ReportContext): string {
  const { settings, results, limits } = ctx;
  const load = (l: readonly number[]): string => l.map((v) => v.toFixed(2)).join(' ');
  const out: string[] = [];
  out.push(`Coffer sync engine vs ${ctx.rcloneVersion}: the same embedded store (one coffer agent), HTTPS on loopback, SSE-S3, separate buckets`);
  out.push(`Machine: ${ctx.cpus} CPUs (${ctx.cpuModel}) shared by the syncing client and the store; Node ${ctx.nodeVersion}.`);
  if (limits) out.push(`One core: AES-256-GCM ${limits.aesGcmMiBps.toFixed(0)} MiB/s, MD5 ${limits.md5MiBps.toFixed(0)} MiB/s; disk ${limits.diskMiBps.toFixed(0)} MiB/s (${limits.diskMiB} MiB write + fsync).`);
  out.push(`Load average (1, 5, 15 min): ${load(ctx.loadAtStart)} at start, ${load(ctx.loadAtEnd)} at the end.`);
  out.push('');
  const { lines, verdicts } = renderTable(ctx);
  out.push(...lines);
  out.push('');
  out.push('Targets:');
  for (const v of verdicts) out.push(`  [${verdictText(v).padEnd(4)}] ${v.label}: ${v.target}; ${v.value}`);
  if (results.latency && results.latency.timeouts > 0) out.push(`  NOTE: ${results.latency.timeouts} edit(s) were not readable within 30 s and are left out of the percentiles.`);
  out.push('');
  out.push('Configurations:');
  out.push(`  Coffer: coffer agent, config.json {"watch": false, "remotePollSeconds": 3600, "transfersPerFolder": ${settings.transfers}, "storeThread": ${settings.storeThread}} for phases 1-4 and 6,`);
  out.push('    each cycle run through the control API (POST /api/folders.syncNow answers when the cycle is done; no CLI start-up timed);');
  out.push('    phase 5: a second agent with {"watch": true} and the default quiet delay (quietMs 300). Folders in mode sse-s3.');
  out.push(`    transfersPerFolder ${settings.transfers} = files in flight; multipart from 16 MiB in 16 MiB parts, 4 parts in flight per file;`);
  out.push('    the scan hashes (SHA-256) every new or changed file, 2 at a time; the client pins the store certificate.');
  out.push(`  rclone: ${ctx.rcloneCommand}`);
  out.push('    defaults: --transfers 4, --checkers 8, --s3-upload-cutoff 200Mi, --s3-chunk-size 5Mi, --s3-upload-concurrency 4;');
  out.push('    remote from RCLONE_CONFIG_BENCH_{TYPE=s3,PROVIDER=Other,ENDPOINT,REGION,ACCESS_KEY_ID,SECRET_ACCESS_KEY}, an empty rclone.conf,');
  out.push('    AWS_* removed from its environment (AWS_CA_BUNDLE would make it refuse --ca-cert). Phases 3 and 4 run the same command again.');
  out.push('Notes:');
  out.push('  rclone/Coffer > 1 means Coffer did better (every row is lower-is-better). Both sides sync the very same local folder,');
  out.push('  Coffer first, then rclone (page cache warm for both); dirty pages are flushed (sync) before every timed step.');
  out.push('  CPU: Coffer = the agent process (sync engine and store together); rclone = rclone + the agent (store) over its run.');
  out.push(`  Phase 5 polls HeadObject every ${POLL_INTERVAL_MS} ms with the benchmark's own S3 client until coffer-sha256 equals the new content's hash;`);
  out.push('  each edit rewrites one existing 4 KiB file and waits for it before the next. rclone has no watcher, so no column.');
  out.push('  Peak RSS: VmHWM of the agent reset per step (and polled every 10 ms); rclone from GNU time -v (max RSS).');
  out.push('Per-run wall times (s):');
  for (const phase of ['smallInitial', 'noChange', 'onePercent', 'mediumInitial', 'largeInitial'] as const) {
    out.push(`  ${phase.padEnd(13)} Coffer ${runList(results.coffer[phase])}; rclone ${runList(results.rclone[phase])}`);
  }
  return out.join('\n');
}
