// `npm run bench:store`: Coffer's embedded store against s3rver and a bare loopback server, in one table.
//
// Environment:
//   COFFER_BENCH_LARGE_MIB         size of the large object in MiB (default 1024)
//   COFFER_BENCH_SMALL_COUNT       4 KiB objects per cell (default 2000)
//   COFFER_BENCH_RUNS              runs of every cell; the table shows the best (default 3)
//   COFFER_BENCH_TARGETS           comma list of baseHttp,baseHttps,s3rver,cofferS3,cofferC,cofferKms,cofferS3NoAudit (default: all)
//   COFFER_BENCH_STORE_NODE_FLAGS  extra node flags for the Coffer store child, space-separated (default: none)
//   COFFER_BENCH_CPU_PROF          a directory: the Coffer store child runs with --cpu-prof and writes its
//                                  profile there, with phases.json for profileSummary.js
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ProcessProbe, startBaseline, startCoffer, startS3rver, type ChildServer } from './childServers.js';
import { keepClientMarkingAtomic } from './clientGc.js';
import { measureMachineLimits, type MachineLimits } from './machineLimits.js';
import { Pattern } from './patternData.js';
import { renderReport, renderTargets, type Results, type TargetId, type WorkloadId } from './report.js';
import { measureClientCost, type ClientCost } from './sdkCalibration.js';
import { SignedClient } from './signedClient.js';
import { SmallObjects, createBucket, deleteObject, largeGet, largePut, type BenchTarget, type Measurement } from './workloads.js';

const MIB = 1024 * 1024;
const MAX_SOCKETS = 16;
const REGION = 'us-east-1';
const COFFER_CREDENTIALS = { accessKeyId: 'COFFERBENCH000000001', secretAccessKey: 'coffer-bench-secret-0123456789abcdef' };
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const ALL_TARGETS: TargetId[] = ['baseHttp', 'baseHttps', 's3rver', 'cofferS3', 'cofferC', 'cofferKms', 'cofferS3NoAudit'];

function positiveInt(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, got ${text}`);
  return n;
}

function selectedTargets(): TargetId[] {
  const text = process.env.COFFER_BENCH_TARGETS;
  if (!text) return ALL_TARGETS;
  const picked = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const p of picked) if (!ALL_TARGETS.includes(p as TargetId)) throw new Error(`COFFER_BENCH_TARGETS: unknown target ${p}`);
  return ALL_TARGETS.filter((t) => picked.includes(t));
}

function progress(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Flushes every dirty page (outside any timing), so one phase's writeback never lands in the next one's fsync. */
function settle(): void {
  execFileSync('sync');
}

/** Phase windows on the monotonic clock (microseconds), which V8's CPU profiles also use. */
export interface Phase {
  target: string;
  workload: string;
  run: number;
  startUs: number;
  endUs: number;
}

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function describe(m: Measurement, unit: string): string {
  const rss = m.peakRss === undefined ? '' : `, peak RSS ${(m.peakRss / 1e6).toFixed(1)} MB`;
  return `${m.rate.toFixed(1)} ${unit} in ${m.seconds.toFixed(2)} s (server CPU ${m.serverCpu.toFixed(2)} s, client CPU ${m.clientCpu.toFixed(2)} s${rss})`;
}

function customerKeyHeaders(): Record<string, string> {
  const key = randomBytes(32);
  return {
    'x-amz-server-side-encryption-customer-algorithm': 'AES256',
    'x-amz-server-side-encryption-customer-key': key.toString('base64'),
    'x-amz-server-side-encryption-customer-key-md5': createHash('md5').update(key).digest('base64'),
  };
}

interface BenchPlan {
  pattern: Pattern;
  small: SmallObjects;
  largeBytes: number;
  largeMd5: string;
  smallCount: number;
}

/** Best run per cell: highest rate; peak RSS is the highest seen in any run. */
function keepBest(results: Results, target: TargetId, workload: WorkloadId, m: Measurement): void {
  const cells = (results[target] ??= {});
  const prior = cells[workload];
  if (!prior) {
    cells[workload] = m;
    return;
  }
  const best = m.rate > prior.rate ? { ...m } : { ...prior };
  if (prior.peakRss !== undefined || m.peakRss !== undefined) best.peakRss = Math.max(prior.peakRss ?? 0, m.peakRss ?? 0);
  cells[workload] = best;
}

/** One run of every workload against one target. */
async function runOnce(target: BenchTarget, plan: BenchPlan, run: number, results: Results, phases: Phase[]): Promise<void> {
  const id = target.id as TargetId;
  const step = async (workload: WorkloadId, label: string, unit: string, measureIt: () => Promise<Measurement>): Promise<void> => {
    settle();
    const startUs = monotonicUs();
    const m = await measureIt();
    phases.push({ target: id, workload, run, startUs, endUs: monotonicUs() });
    keepBest(results, id, workload, m);
    progress(`  ${label}: ${describe(m, unit)}; server RSS now ${(target.probe.rssNow() / 1e6).toFixed(1)} MB`);
  };
  progress(`${id}, run ${run}:`);
  const largeKey = `large/object-${run}`;
  await step('largePut', 'large PUT', 'MiB/s', () => largePut(target, largeKey, plan.pattern, plan.largeBytes, plan.largeMd5));
  await step('largeGet', 'large GET', 'MiB/s', () => largeGet(target, largeKey, plan.pattern, plan.largeBytes));
  await deleteObject(target, largeKey);
  const { small, smallCount } = plan;
  await step('putC1', '4 KiB PUT c=1', 'ops/s', () => small.put(target, `c1-${run}`, smallCount, 1));
  await step('getC1', '4 KiB GET c=1', 'ops/s', () => small.get(target, `c1-${run}`, smallCount, 1));
  await step('putC16', '4 KiB PUT c=16', 'ops/s', () => small.put(target, `c16-${run}`, smallCount, MAX_SOCKETS));
  await step('getC16', '4 KiB GET c=16', 'ops/s', () => small.get(target, `c16-${run}`, smallCount, MAX_SOCKETS));
}

async function main(): Promise<number> {
  keepClientMarkingAtomic();
  const largeMiB = positiveInt('COFFER_BENCH_LARGE_MIB', 1024);
  const smallCount = positiveInt('COFFER_BENCH_SMALL_COUNT', 2000);
  const runs = positiveInt('COFFER_BENCH_RUNS', 3);
  const wanted = selectedTargets();
  const profileDir = process.env.COFFER_BENCH_CPU_PROF ? resolve(process.env.COFFER_BENCH_CPU_PROF) : undefined;
  const storeFlags = (process.env.COFFER_BENCH_STORE_NODE_FLAGS ?? '').split(/\s+/).filter((f) => f !== '');
  const largeBytes = largeMiB * MIB;

  const root = mkdtempSync(join(tmpdir(), 'coffer-bench-'));
  const children: ChildServer[] = [];
  const clients: SignedClient[] = [];
  const results: Results = {};
  const phases: Phase[] = [];
  let limits: MachineLimits;
  let clientCost: ClientCost | undefined;
  let baseEndpoint: string | undefined;
  // Interrupted: still stop the servers and remove the temporary data.
  const interrupted = (signal: NodeJS.Signals): void => {
    progress(`${signal}: stopping the servers and removing ${root}`);
    void Promise.allSettled(children.map((c) => c.stop())).finally(() => {
      rmSync(root, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    progress('Measuring this machine (AES-256-GCM and MD5 on one core, disk write + fsync)...');
    limits = measureMachineLimits(root, Math.min(largeMiB, 1024));
    const pattern = new Pattern();
    const plan: BenchPlan = { pattern, small: new SmallObjects(), largeBytes, largeMd5: pattern.md5(largeBytes), smallCount };

    const nodeFlags = [...storeFlags];
    if (profileDir) {
      mkdirSync(profileDir, { recursive: true });
      nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
    }
    // Coffer always starts: its self-signed certificate also serves the HTTPS baseline.
    const coffer = await startCoffer(join(root, 'coffer'), COFFER_CREDENTIALS, nodeFlags);
    children.push(coffer);
    const cofferProbe = new ProcessProbe(coffer.pid);
    const targets: BenchTarget[] = [];
    const client = (endpoint: string, credentials: typeof COFFER_CREDENTIALS): SignedClient => {
      const c = new SignedClient({ endpoint, ...credentials, region: REGION, ca: coffer.caCert, maxSockets: MAX_SOCKETS });
      clients.push(c);
      return c;
    };
    if (wanted.includes('baseHttp') || wanted.includes('baseHttps')) {
      const base = await startBaseline(coffer.certFile, coffer.keyFile);
      children.push(base);
      baseEndpoint = base.httpUrl;
      const plain = { bucket: 'bench', putHeaders: {}, getHeaders: {}, probe: new ProcessProbe(base.pid), md5Etag: false };
      if (wanted.includes('baseHttp')) targets.push({ id: 'baseHttp', client: client(base.httpUrl, COFFER_CREDENTIALS), ...plain });
      if (wanted.includes('baseHttps')) targets.push({ id: 'baseHttps', client: client(base.httpsUrl, COFFER_CREDENTIALS), ...plain });
    }
    if (wanted.includes('s3rver')) {
      const dir = join(root, 's3rver');
      mkdirSync(dir);
      const s3rver = await startS3rver(dir);
      children.push(s3rver);
      targets.push({ id: 's3rver', client: client(s3rver.url, S3RVER_CREDENTIALS), bucket: 'bench', putHeaders: {}, getHeaders: {}, probe: new ProcessProbe(s3rver.pid), md5Etag: true });
    }
    if (wanted.includes('cofferS3')) {
      targets.push({
        id: 'cofferS3',
        client: client(coffer.httpUrl, COFFER_CREDENTIALS),
        bucket: 'bench-sse-s3',
        putHeaders: { 'x-amz-server-side-encryption': 'AES256' },
        getHeaders: {},
        probe: cofferProbe,
        md5Etag: true,
      });
    }
    if (wanted.includes('cofferC')) {
      const keyHeaders = customerKeyHeaders();
      targets.push({ id: 'cofferC', client: client(coffer.httpsUrl, COFFER_CREDENTIALS), bucket: 'bench-sse-c', putHeaders: keyHeaders, getHeaders: keyHeaders, probe: cofferProbe, md5Etag: false });
    }

    if (wanted.includes('cofferKms')) {
      // No key id: the AWS-managed aws/s3 key, created on first use, as S3 does.
      const kmsHeaders = { 'x-amz-server-side-encryption': 'aws:kms' };
      targets.push({ id: 'cofferKms', client: client(coffer.httpUrl, COFFER_CREDENTIALS), bucket: 'bench-sse-kms', putHeaders: kmsHeaders, getHeaders: {}, probe: cofferProbe, md5Etag: false });
    }
    if (wanted.includes('cofferS3NoAudit')) {
      // The same store without its access history: the pair measures what logging costs.
      const quiet = await startCoffer(join(root, 'coffer-no-audit'), COFFER_CREDENTIALS, nodeFlags, ['--no-audit']);
      children.push(quiet);
      targets.push({
        id: 'cofferS3NoAudit',
        client: client(quiet.httpUrl, COFFER_CREDENTIALS),
        bucket: 'bench-sse-s3',
        putHeaders: { 'x-amz-server-side-encryption': 'AES256' },
        getHeaders: {},
        probe: new ProcessProbe(quiet.pid),
        md5Etag: true,
      });
    }

    // Buckets, then an untimed warm-up of the small-object paths (JIT, statement caches, sockets).
    const warm = Math.min(200, smallCount);
    for (const target of targets) {
      await createBucket(target);
      await plan.small.put(target, 'warm', warm, MAX_SOCKETS);
      await plan.small.get(target, 'warm', warm, MAX_SOCKETS);
    }
    // Justifies the client: the SDK's client-side cost per small request next to the lean client's.
    const baseHttp = targets.find((t) => t.id === 'baseHttp');
    if (baseHttp && baseEndpoint) {
      progress('Measuring client cost per 4 KiB PUT + GET (AWS SDK v3 vs lean client) against the HTTP baseline...');
      clientCost = await measureClientCost(baseEndpoint, baseHttp.client, COFFER_CREDENTIALS, plan.small.body);
    }
    // Runs go round the targets, so a noisy moment on this shared machine hits one run of each, not all runs of one.
    for (let run = 1; run <= runs; run++) {
      for (const target of targets) await runOnce(target, plan, run, results, phases);
    }
  } finally {
    for (const c of clients) c.close();
    for (const child of children.reverse()) await child.stop();
    rmSync(root, { recursive: true, force: true });
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }

  const cpuList = cpus();
  const input = { results, limits, clientCost, largeMiB, smallCount, runs, storeFlags, cpus: cpuList.length, cpuModel: cpuList[0]?.model.trim() ?? 'unknown' };
  process.stdout.write(`\n${renderReport(input)}\n\n`);
  process.stdout.write(`${renderTargets(input).text}\n`);
  if (profileDir) {
    writeFileSync(join(profileDir, 'phases.json'), `${JSON.stringify(phases, null, 2)}\n`);
    process.stdout.write(`\nCPU profile of the Coffer store child and phases.json written to ${profileDir}\n`);
  }
  return 0;
}

process.exitCode = await main();
