// Downloads from S3: an object streamed to a file with bounded memory and fsynced, or read whole into memory.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform, Writable, type Readable } from 'node:stream';
import { GetObjectCommand, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { classifyError } from './classifyError.js';
import type { GetFileOptions, ObjectHead } from './objectStore.js';
import { RemoteError } from './objectStore.js';
import { ProgressCounter } from './progress.js';
import { abortedError, callRemote, isNotFound, type S3Context } from './s3Context.js';
import { sseCParams, usesSseC } from './sseParams.js';
import { withContentMd5 } from './etagDigest.js';
import { withVersionId } from './versionId.js';

function headOf(key: string, out: GetObjectCommandOutput): ObjectHead {
  return {
    key,
    size: out.ContentLength ?? 0,
    etag: out.ETag ?? '',
    lastModifiedMs: out.LastModified?.getTime() ?? 0,
    metadata: out.Metadata ?? {},
    ...withVersionId(out.VersionId),
    ...withContentMd5(out),
  };
}

/** GET of the current object, or of exactly `options.versionId` (what a HEAD checked) when given. */
async function getObject(s3: S3Context, key: string, options: GetFileOptions): Promise<GetObjectCommandOutput> {
  const request = { Bucket: s3.bucket, Key: s3.prefix + key, ...(options.versionId ? { VersionId: options.versionId } : {}), ...sseCParams(options.encryption) };
  return callRemote({ operation: 'GetObject', sseC: usesSseC(options.encryption) }, options.signal, () =>
    s3.client.send(new GetObjectCommand(request), { abortSignal: options.signal }),
  );
}

/** The body arrived shorter than its Content-Length said: the connection dropped; a retry fetches it again. */
function incompleteBody(): RemoteError {
  return new RemoteError('GetObject ended before the whole body arrived', 'retriable', 'IncompleteBody', undefined);
}

/** Pipes the body through the download throttle and the progress counter into `sink`; failures are classed. */
async function drain(s3: S3Context, body: Readable, sink: Writable, progress: ProgressCounter, signal: AbortSignal | undefined): Promise<void> {
  const count = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      progress.add(chunk.length);
      callback(null, chunk);
    },
  });
  try {
    if (s3.throttleDown) await pipeline(body, s3.throttleDown.stream(signal), count, sink, { signal });
    else await pipeline(body, count, sink, { signal });
  } catch (err) {
    body.destroy();
    if (signal?.aborted) throw abortedError('GetObject', err);
    throw classifyError(err, { operation: 'GetObject' });
  }
}

/**
 * Streams the object into `file` (created or truncated), then fsyncs and closes it. Memory stays
 * at a few stream buffers whatever the size. RemoteError 'skip' NoSuchKey when missing; a short
 * body is 'retriable' IncompleteBody; local write errors are classed too (a full disk is fatal).
 */
export async function downloadToFile(s3: S3Context, key: string, file: string, options: GetFileOptions): Promise<ObjectHead> {
  const out = await getObject(s3, key, options);
  const head = headOf(key, out);
  const progress = new ProgressCounter(options.onProgress);
  // flush: the stream fsyncs before it closes, and the pipeline settles only after that close.
  await drain(s3, out.Body as Readable, createWriteStream(file, { flush: true }), progress, options.signal);
  if (progress.bytes !== head.size) throw incompleteBody();
  progress.finish(head.size);
  return head;
}

/** The whole object in memory (small objects only), or undefined when it does not exist. */
export async function downloadBytes(s3: S3Context, key: string, options: GetFileOptions): Promise<{ body: Buffer; head: ObjectHead } | undefined> {
  let out: GetObjectCommandOutput;
  try {
    out = await getObject(s3, key, options);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const head = headOf(key, out);
  const progress = new ProgressCounter(options.onProgress);
  const chunks: Buffer[] = [];
  const collect = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await drain(s3, out.Body as Readable, collect, progress, options.signal);
  const bytes = Buffer.concat(chunks);
  if (bytes.length !== head.size) throw incompleteBody();
  progress.finish(head.size);
  return { body: bytes, head };
}
