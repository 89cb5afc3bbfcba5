// The measured workloads: one large object up and down, then many 4 KiB objects at a given concurrency.
import { createHash, randomBytes } from 'node:crypto';
import type { ProcessProbe } from './childServers.js';
import type { Pattern } from './patternData.js';
import { objectPath, type SignedClient } from './signedClient.js';

export interface BenchTarget {
  id: string;
  client: SignedClient;
  bucket: string;
  /** Extra headers on every PUT (SSE choice, SSE-C key) and GET (SSE-C key). */
  putHeaders: Record<string, string>;
  getHeaders: Record<string, string>;
  /** The server process, for its peak RSS and CPU time. */
  probe: ProcessProbe;
  /** The ETag of a single PUT is the MD5 of its bytes and is checked. */
  md5Etag: boolean;
}

export interface Measurement {
  seconds: number;
  /** MiB/s for the large object, ops/s for small objects. */
  rate: number;
  /** Server CPU seconds (user + system) over the measurement. */
  serverCpu: number;
  /** This (client) process's CPU seconds over the measurement. */
  clientCpu: number;
  /** Server peak RSS in bytes (large-object measurements only). */
  peakRss?: number;
}

const MIB = 1024 * 1024;
export const SMALL_BYTES = 4 * 1024;

function unquote(etag: string | string[] | undefined): string {
  return String(etag ?? '').replace(/^"|"$/g, '');
}

async function measure(target: BenchTarget, units: number, withPeak: boolean, run: () => Promise<void>): Promise<Measurement> {
  if (withPeak) target.probe.startPeak();
  const serverBefore = target.probe.cpuSeconds();
  const clientBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  try {
    await run();
  } catch (err) {
    if (withPeak) target.probe.endPeak(); // stops the RSS polling
    throw err;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const client = process.cpuUsage(clientBefore);
  const measurement: Measurement = {
    seconds,
    rate: units / seconds,
    serverCpu: target.probe.cpuSeconds() - serverBefore,
    clientCpu: (client.user + client.system) / 1e6,
  };
  if (withPeak) measurement.peakRss = target.probe.endPeak();
  return measurement;
}

export async function createBucket(target: BenchTarget): Promise<void> {
  await target.client.request('PUT', objectPath(target.bucket));
}

/** Untimed: removes a large object once measured, so runs do not pile up gigabytes on disk. */
export async function deleteObject(target: BenchTarget, key: string): Promise<void> {
  await target.client.request('DELETE', objectPath(target.bucket, key));
}

/** Streams `bytes` of the pattern up as one PUT; checks the ETag against the pattern's MD5 where it is one. */
export async function largePut(target: BenchTarget, key: string, pattern: Pattern, bytes: number, expectedMd5: string): Promise<Measurement> {
  return measure(target, bytes / MIB, true, async () => {
    const res = await target.client.request('PUT', objectPath(target.bucket, key), target.putHeaders, {
      kind: 'stream',
      data: pattern.source(bytes),
      length: bytes,
    });
    const etag = unquote(res.headers.etag);
    if (target.md5Etag && etag !== expectedMd5) throw new Error(`${target.id}: large PUT ETag ${etag} is not the MD5 ${expectedMd5}`);
  });
}

/** Downloads the large object, comparing every byte with the pattern and discarding it. */
export async function largeGet(target: BenchTarget, key: string, pattern: Pattern, bytes: number): Promise<Measurement> {
  return measure(target, bytes / MIB, true, async () => {
    const check = pattern.verifier();
    const res = await target.client.request('GET', objectPath(target.bucket, key), target.getHeaders, undefined, check.onData);
    if (Number(res.headers['content-length']) !== bytes || check.received() !== bytes) {
      throw new Error(`${target.id}: large GET returned ${check.received()} bytes (Content-Length ${res.headers['content-length']}), expected ${bytes}`);
    }
    const bad = check.mismatch();
    if (bad !== undefined) throw new Error(`${target.id}: large GET differs from what was uploaded at byte ${bad}`);
  });
}

/** `count` jobs run by `concurrency` workers, each taking the next index. */
async function pool(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export class SmallObjects {
  readonly body = randomBytes(SMALL_BYTES);
  readonly md5 = createHash('md5').update(this.body).digest('hex');

  private key(prefix: string, i: number): string {
    return `small/${prefix}/${String(i).padStart(6, '0')}`;
  }

  /** PUTs `count` fresh 4 KiB objects under `prefix`; each is acknowledged (for Coffer: committed and fsynced). */
  async put(target: BenchTarget, prefix: string, count: number, concurrency: number): Promise<Measurement> {
    return measure(target, count, false, () =>
      pool(count, concurrency, async (i) => {
        const res = await target.client.request('PUT', objectPath(target.bucket, this.key(prefix, i)), target.putHeaders, { kind: 'buffer', data: this.body });
        if (target.md5Etag && unquote(res.headers.etag) !== this.md5) throw new Error(`${target.id}: 4 KiB PUT ETag ${unquote(res.headers.etag)} is not the MD5`);
      }),
    );
  }

  /** GETs the objects `put` wrote under `prefix`, checking each body. */
  async get(target: BenchTarget, prefix: string, count: number, concurrency: number): Promise<Measurement> {
    return measure(target, count, false, () =>
      pool(count, concurrency, async (i) => {
        const res = await target.client.request('GET', objectPath(target.bucket, this.key(prefix, i)), target.getHeaders);
        if (!res.body || !res.body.equals(this.body)) throw new Error(`${target.id}: 4 KiB GET of ${this.key(prefix, i)} returned other bytes (${res.bytes})`);
      }),
    );
  }
}
