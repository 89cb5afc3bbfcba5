// Test support: `coffer status` of an agent device, read once or sampled call after call while a long command runs, and a bucket's file keys.
import { ListObjectsV2Command, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import type { AgentStatus, FolderStatus } from '../../preload/contract.js';
import type { AgentDevice } from './agentDevice.js';

/** What `coffer status --json` prints: the agent's status (or the data dir's, when none runs) and whether an agent answered. */
export type StatusJson = AgentStatus & { agentRunning: boolean };

/** `coffer status --json` of the device, parsed; throws with the command's output when it exits non-zero. */
export async function statusJson(device: AgentDevice): Promise<StatusJson> {
  return JSON.parse((await device.coffer(['status', '--json'])).stdout) as StatusJson;
}

/** The folder syncing to `bucket`; throws when the status has none. */
export function folderOf(status: AgentStatus, bucket: string): FolderStatus {
  const folder = status.folders.find((f) => f.bucket === bucket);
  if (!folder) throw new Error(`no folder with bucket ${bucket} in the status (buckets: ${status.folders.map((f) => f.bucket).join(', ')})`);
  return folder;
}

/**
 * Calls `sample` one call after another (never two at once, so the samples are in the order the
 * agent answered them) until `work` settles. Resolves with `work`'s value and every sample; rejects
 * with `work`'s error, or else with the first failing sample's error, only after both have stopped.
 */
export async function sampleWhile<W, S>(work: Promise<W>, sample: () => Promise<S>): Promise<{ result: W; samples: S[] }> {
  const samples: S[] = [];
  let settled = false;
  // Its failure is kept as a value, so it is never an unhandled rejection while `work` still runs.
  const sampling = (async () => {
    while (!settled) samples.push(await sample());
  })().then(
    () => ({ failed: false as const }),
    (error: unknown) => ({ failed: true as const, error }),
  );
  const outcome = await work.then(
    (value) => ({ failed: false as const, value }),
    (error: unknown) => ({ failed: true as const, error }),
  );
  settled = true;
  const sampled = await sampling;
  if (outcome.failed) throw outcome.error;
  if (sampled.failed) throw sampled.error;
  return { result: outcome.value, samples };
}

/**
 * Samples `coffer status --json` (the folder of `bucket`) and plain `coffer status` side by side,
 * each call after call, while `work` runs; `react` may act on each JSON sample before the next.
 */
export async function sampleStatuses<W>(
  device: AgentDevice,
  work: Promise<W>,
  bucket: string,
  react?: (folder: FolderStatus) => Promise<void>,
): Promise<{ result: W; folders: FolderStatus[]; words: string[] }> {
  const [json, words] = await Promise.all([
    sampleWhile(work, async () => {
      const folder = folderOf(await statusJson(device), bucket);
      await react?.(folder);
      return folder;
    }),
    sampleWhile(work, async () => (await device.coffer(['status'])).stdout),
  ]);
  return { result: json.result, folders: json.samples, words: words.samples };
}

/** Polls `probe` until it returns a value other than undefined; throws naming `what` after `timeoutMs`. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The file keys in a bucket, sorted (Coffer's own .coffer records left out); none when the bucket does not exist. */
export async function fileKeys(s3: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.NextContinuationToken;
    } while (token);
  } catch (err) {
    if (err instanceof S3ServiceException && err.name === 'NoSuchBucket') return [];
    throw err;
  }
  return keys.filter((k) => !k.startsWith('.coffer')).sort();
}
