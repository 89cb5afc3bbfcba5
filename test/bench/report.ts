// Renders the benchmark's single table and the target verdicts from the measurements.
import type { MachineLimits } from './machineLimits.js';
import type { ClientCost } from './sdkCalibration.js';
import type { Measurement } from './workloads.js';

export type TargetId = 'baseHttp' | 'baseHttps' | 's3rver' | 'cofferS3' | 'cofferC' | 'cofferKms' | 'cofferS3NoAudit';
export type WorkloadId = 'largePut' | 'largeGet' | 'putC1' | 'getC1' | 'putC16' | 'getC16';

export type Results = Partial<Record<TargetId, Partial<Record<WorkloadId, Measurement>>>>;

export interface ReportInput {
  results: Results;
  limits: MachineLimits;
  /** The SDK's and the lean client's CPU per small request pair, when the HTTP baseline ran. */
  clientCost: ClientCost | undefined;
  largeMiB: number;
  smallCount: number;
  /** Runs of every cell; each cell shows its best run. */
  runs: number;
  /** Extra node flags the Coffer child ran with (none for the store as shipped). */
  storeFlags: readonly string[];
  cpus: number;
  cpuModel: string;
}

const WORKLOADS: { id: WorkloadId; label: string; large: boolean }[] = [
  { id: 'largePut', label: 'PUT', large: true },
  { id: 'largeGet', label: 'GET', large: true },
  { id: 'putC1', label: '4 KiB PUT, c=1', large: false },
  { id: 'getC1', label: '4 KiB GET, c=1', large: false },
  { id: 'putC16', label: '4 KiB PUT, c=16', large: false },
  { id: 'getC16', label: '4 KiB GET, c=16', large: false },
];

type Column = { title: string; value: (w: WorkloadId, pick: (m: Measurement) => number | undefined) => number | undefined; ratio: boolean };

function ratioOf(results: Results, a: TargetId, b: TargetId, w: WorkloadId, pick: (m: Measurement) => number | undefined): number | undefined {
  const x = results[a]?.[w];
  const y = results[b]?.[w];
  if (!x || !y) return undefined;
  const vx = pick(x);
  const vy = pick(y);
  return vx === undefined || vy === undefined || vy === 0 ? undefined : vx / vy;
}

function columns(results: Results): Column[] {
  const own = (t: TargetId): Column['value'] => (w, pick) => {
    const m = results[t]?.[w];
    return m ? pick(m) : undefined;
  };
  const vs = (a: TargetId, b: TargetId): Column['value'] => (w, pick) => ratioOf(results, a, b, w, pick);
  return [
    { title: 'HTTP base', value: own('baseHttp'), ratio: false },
    { title: 'HTTPS base', value: own('baseHttps'), ratio: false },
    { title: 's3rver HTTP', value: own('s3rver'), ratio: false },
    { title: '/HTTP base', value: vs('s3rver', 'baseHttp'), ratio: true },
    { title: 'Coffer SSE-S3 HTTP', value: own('cofferS3'), ratio: false },
    { title: '/s3rver', value: vs('cofferS3', 's3rver'), ratio: true },
    { title: '/HTTP base', value: vs('cofferS3', 'baseHttp'), ratio: true },
    { title: 'Coffer SSE-C HTTPS', value: own('cofferC'), ratio: false },
    { title: '/s3rver', value: vs('cofferC', 's3rver'), ratio: true },
    { title: '/HTTP base', value: vs('cofferC', 'baseHttp'), ratio: true },
    { title: '/HTTPS base', value: vs('cofferC', 'baseHttps'), ratio: true },
    { title: 'Coffer SSE-KMS HTTP', value: own('cofferKms'), ratio: false },
    { title: '/s3rver', value: vs('cofferKms', 's3rver'), ratio: true },
    { title: 'SSE-S3, no audit', value: own('cofferS3NoAudit'), ratio: false },
    { title: 'audit on/off', value: vs('cofferS3', 'cofferS3NoAudit'), ratio: true },
  ];
}

function formatNumber(v: number): string {
  if (v >= 100) return Math.round(v).toLocaleString('en-US');
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function cell(v: number | undefined, ratio: boolean): string {
  if (v === undefined || !Number.isFinite(v)) return '-';
  return ratio ? `${v.toFixed(2)}x` : formatNumber(v);
}

export function renderReport(input: ReportInput): string {
  const { results, limits, largeMiB } = input;
  const cols = columns(results);
  const large = largeMiB >= 1024 && largeMiB % 1024 === 0 ? `${largeMiB / 1024} GiB` : `${largeMiB} MiB`;
  const rows: string[][] = [];
  const section = (title: string): void => {
    rows.push([title, ...cols.map(() => '')]);
  };
  const metricRows = (unit: (large: boolean) => string, pick: (m: Measurement, large: boolean) => number | undefined): void => {
    for (const w of WORKLOADS) {
      const label = `  ${w.large ? `${large} ${w.label}` : w.label} (${unit(w.large)})`;
      rows.push([label, ...cols.map((c) => cell(c.value(w.id, (m) => pick(m, w.large)), c.ratio))]);
    }
  };

  section('Throughput');
  metricRows((l) => (l ? 'MiB/s' : 'ops/s'), (m) => m.rate);
  section('Server CPU per unit (lower is better)');
  metricRows((l) => (l ? 'ms/MiB' : 'us/op'), (m, l) => (l ? (m.serverCpu * 1e3) / (m.rate * m.seconds) : (m.serverCpu * 1e6) / (m.rate * m.seconds)));
  section('Client CPU per unit (same client for all)');
  metricRows((l) => (l ? 'ms/MiB' : 'us/op'), (m, l) => (l ? (m.clientCpu * 1e3) / (m.rate * m.seconds) : (m.clientCpu * 1e6) / (m.rate * m.seconds)));
  section('Server peak RSS');
  for (const w of WORKLOADS.filter((x) => x.large)) {
    rows.push([`  during ${large} ${w.label} (MB)`, ...cols.map((c) => cell(c.value(w.id, (m) => (m.peakRss === undefined ? undefined : m.peakRss / 1e6)), c.ratio))]);
  }

  const header = ['Workload', ...cols.map((c) => c.title)];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  const out: string[] = [];
  out.push(`Coffer store benchmark: ${large} object and ${input.smallCount} x 4 KiB objects per cell, best of ${input.runs} run(s) per cell, loopback 127.0.0.1`);
  if (input.storeFlags.length > 0) out.push(`NOTE: the Coffer store child ran with extra node flags: ${input.storeFlags.join(' ')} (not the store as shipped).`);
  out.push(`Machine: ${input.cpus} CPUs (${input.cpuModel}) shared by client and server, so single-stream throughput is about one core's worth.`);
  out.push(`This machine, one core: AES-256-GCM ${formatNumber(limits.aesGcmMiBps)} MiB/s (64 KiB segments), MD5 ${formatNumber(limits.md5MiBps)} MiB/s.`);
  const direct =
    limits.directDiskMiBps === undefined || limits.directDiskCpuMsPerMiB === undefined
      ? 'O_DIRECT refused here, so the store writes through the page cache too'
      : `${formatNumber(limits.directDiskMiBps)} MiB/s and ${limits.directDiskCpuMsPerMiB.toFixed(2)} ms with O_DIRECT, as the store writes large objects`;
  out.push(
    `This machine's disk (temp dir), ${limits.diskMiB} MiB of random data in 1 MiB writes and one fsync: ${formatNumber(limits.diskMiBps)} MiB/s through the page cache, ` +
      `${limits.diskCpuMsPerMiB.toFixed(2)} ms of CPU per MiB (the kernel's write path, which moves a lot between runs here); ${direct}. Measured once, before the servers start.`,
  );
  out.push('');
  out.push(line(header));
  out.push(rule);
  for (const r of rows) out.push(line(r));
  out.push('');
  out.push('Notes:');
  out.push('  /X columns are ratios of the store to X (higher is better for throughput; for CPU and RSS rows they are plain ratios).');
  out.push('  Every Coffer 4 KiB PUT is durable when acknowledged (SQLite WAL, synchronous=FULL, group-committed fsync;');
  out.push('  large objects are fsynced files). s3rver does not fsync anything, and the baselines do no disk I/O at all.');
  out.push('  Client: one lean SigV4 client over node:http/https (keep-alive agent, maxSockets 16), UNSIGNED-PAYLOAD, the same for');
  out.push(`  every target; the ${large} PUT streams a repeated random 1 MiB block, the GET is compared byte for byte and discarded.`);
  out.push('  The client runs with V8\'s incremental marking off (clientGc.ts): with it, a 1 GiB GET set off 53 to 56 major');
  out.push('  collections in the client and bounded every HTTPS GET at about 600 MiB/s, the trivial HTTPS server\'s included.');
  if (input.clientCost) {
    const { sdkUs, leanUs } = input.clientCost;
    out.push(`  Why not the AWS SDK v3: against the HTTP baseline it spent ${Math.round(sdkUs)} us of client CPU per 4 KiB PUT + GET pair`);
    out.push(`  (lean client: ${Math.round(leanUs)} us), i.e. the SDK alone would saturate a core at ~${Math.round(1e6 / sdkUs).toLocaleString('en-US')} pairs/s on this machine.`);
  }
  out.push('  Coffer SSE-S3 ETags are checked against the MD5 of the uploaded bytes (also for s3rver); SSE-C sends its key headers.');
  out.push('  Baselines: a trivial node:http / node:https server in a child process that reads and discards PUT bodies and serves GETs');
  out.push('  from memory (no auth, no hashing, no disk). Coffer SSE-C runs over TLS, so /HTTPS base is its like-for-like ratio.');
  out.push('  Coffer SSE-KMS uses the AWS-managed aws/s3 key of the embedded KMS: one GenerateDataKey per PUT, one Decrypt per GET,');
  out.push('  each an access-history event. "SSE-S3, no audit" is a second store started with --no-audit; every other Coffer column');
  out.push('  records one access-history event per request (and per KMS use).');
  out.push('  Server processes are children (Coffer via bin/coffer.js, s3rver via its CLI); RSS is their VmHWM over each transfer,');
  out.push('  the highest of all runs. Rates are the best run (the machine is shared; noise only ever slows a run down).');
  out.push('  CPU rows are the server process (all threads, user + system) and this client process over the best run.');
  return out.join('\n');
}

interface Verdict {
  text: string;
  pass: boolean | undefined;
}

export function renderTargets(input: ReportInput): { text: string; allPass: boolean } {
  const { results } = input;
  const rate = (t: TargetId, w: WorkloadId): number | undefined => results[t]?.[w]?.rate;
  const ratio = (t: TargetId, w: WorkloadId): number | undefined => {
    const a = rate(t, w);
    const b = rate('s3rver', w);
    return a === undefined || b === undefined ? undefined : a / b;
  };
  const atLeast = (label: string, value: number | undefined, goal: number): Verdict => ({
    text: `${label} >= ${goal.toFixed(1)}x s3rver: ${value === undefined ? 'not measured' : `${value.toFixed(2)}x`}`,
    pass: value === undefined ? undefined : value >= goal,
  });
  const peaks = (['cofferS3', 'cofferC', 'cofferKms'] as const).flatMap((t) => (['largePut', 'largeGet'] as const).map((w) => results[t]?.[w]?.peakRss)).filter((v): v is number => v !== undefined);
  const peak = peaks.length > 0 ? Math.max(...peaks) : undefined;
  // An SSE-S3 PUT's ETag is one MD5 chain over the whole object, so MD5's speed on one core, measured
  // in this run, is the most any such PUT can reach; as a ratio it says whether 2x was reachable at all.
  const s3rverPut = rate('s3rver', 'largePut');
  const md5Bound = s3rverPut === undefined ? '' : `; MD5 alone on one core: ${(input.limits.md5MiBps / s3rverPut).toFixed(2)}x, the most an SSE-S3 PUT can reach`;
  const largePut = atLeast('Large PUT, Coffer SSE-S3 (HTTP)', ratio('cofferS3', 'largePut'), 2);
  const verdicts: Verdict[] = [
    { ...largePut, text: largePut.text + md5Bound },
    atLeast('Large GET, Coffer SSE-S3 (HTTP)', ratio('cofferS3', 'largeGet'), 1.2),
    atLeast('Large GET, Coffer SSE-C (HTTPS)', ratio('cofferC', 'largeGet'), 1.2),
    atLeast('4 KiB PUT c=16, Coffer SSE-S3 (HTTP)', ratio('cofferS3', 'putC16'), 1),
    atLeast('4 KiB PUT c=16, Coffer SSE-C (HTTPS)', ratio('cofferC', 'putC16'), 1),
    ...(['putC1', 'putC16'] as const).map((w): Verdict => {
      const on = rate('cofferS3', w);
      const off = rate('cofferS3NoAudit', w);
      const kept = on === undefined || off === undefined ? undefined : on / off;
      return {
        text: `Access history costs < 10% of the 4 KiB PUT rate (${w === 'putC1' ? 'c=1' : 'c=16'}, on/off >= 0.90): ${kept === undefined ? 'not measured' : `${kept.toFixed(2)}`}`,
        pass: kept === undefined ? undefined : kept >= 0.9,
      };
    }),
    {
      text: `Coffer peak RSS while moving the large object < 200 MB: ${peak === undefined ? 'not measured' : `${(peak / 1e6).toFixed(1)} MB`}`,
      pass: peak === undefined ? undefined : peak < 200e6,
    },
  ];
  const lines = ['Targets:', ...verdicts.map((v) => `  [${v.pass === undefined ? 'N/A ' : v.pass ? 'PASS' : 'MISS'}] ${v.text}`)];
  return { text: lines.join('\n'), allPass: verdicts.every((v) => v.pass === true) };
}
