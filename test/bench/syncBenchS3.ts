// The benchmark's own S3 client on the agent's store (HTTPS, trusting its certificate): checks what each side synced, and polls for edits.
import https from 'node:https';
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { StoreAccess } from './syncBenchAgent.js';
import type { WrittenFile } from './syncBenchFiles.js';

export interface BenchS3 {
  readonly client: S3Client;
  close(): void;
}

export interface HeadResult {
  readonly size: number;
  /** Without quotes. */
  readonly etag: string;
  readonly metadata: Record<string, string>;
}

export function createBenchS3(store: StoreAccess): BenchS3 {
  // The pinned SDK's notice about future Node requirements is noise here (bin/coffer.js silences it the same way).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const agent = new https.Agent({ keepAlive: true, ca: store.caCertPem });
  const client = new S3Client({
    endpoint: store.httpsUrl,
    region: store.region,
    forcePathStyle: true,
    credentials: { accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
  });
  return {
    client,
    close() {
      client.destroy();
      agent.destroy();
    },
  };
}

/** HeadObject; undefined for a missing object, any other failure rejects. */
export async function headObject(s3: BenchS3, bucket: string, key: string): Promise<HeadResult | undefined> {
  try {
    const out = await s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { size: out.ContentLength ?? 0, etag: (out.ETag ?? '').replace(/"/g, ''), metadata: out.Metadata ?? {} };
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw err;
  }
}

/** Every key in the bucket with its size. */
export async function listBucket(s3: BenchS3, bucket: string): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  let token: string | undefined;
  do {
    const page = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key !== undefined) found.set(o.Key, o.Size ?? 0);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return found;
}

/** Error unless the bucket holds exactly `paths` (Coffer's own `.coffer…` records aside), each of `size` bytes. */
export async function expectBucket(s3: BenchS3, bucket: string, paths: readonly string[], size: number, who: string): Promise<void> {
  const found = await listBucket(s3, bucket);
  for (const key of [...found.keys()]) if (key.startsWith('.coffer')) found.delete(key);
  const missing = paths.filter((p) => found.get(p) !== size);
  if (missing.length > 0 || found.size !== paths.length) {
    throw new Error(`${who}: bucket ${bucket} holds ${found.size} objects, expected ${paths.length} of ${size} bytes (first wrong: ${missing[0] ?? 'an extra object'})`);
  }
}

/**
 * Error unless every rewritten file's new content is in the bucket: for Coffer its coffer-sha256
 * metadata, for rclone the single-part MD5 ETag.
 */
export async function expectContents(s3: BenchS3, bucket: string, files: readonly WrittenFile[], check: 'coffer-sha256' | 'md5-etag', who: string): Promise<void> {
  for (const file of files) {
    const head = await headObject(s3, bucket, file.path);
    const ok = head !== undefined && (check === 'md5-etag' ? head.etag === file.md5 : head.metadata['coffer-sha256'] === file.sha256);
    if (!ok) throw new Error(`${who}: ${bucket}/${file.path} does not hold the rewritten content after the sync`);
  }
}
