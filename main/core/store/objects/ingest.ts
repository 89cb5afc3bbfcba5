// The write hot path: payload bytes are hashed and encrypted in one pass and written as one stream.
import { SegmentEncryptor, StreamLengthError, encryptedSize } from '../../crypto/index.js';
import { streamStarting } from '../../threads/oldGenerationGrowth.js';
import { noteStreamedBytes } from '../../threads/spentBuffers.js';
import { S3Error } from '../errors.js';
import type { StoreServices } from '../storeServices.js';
import type { NewBlob } from '../storage/records.js';

export interface Hasher {
  update(data: Buffer): unknown;
  /** A hasher working elsewhere (another thread) returns a promise when the caller should wait for it. */
  backlog?(): Promise<void> | undefined;
  /** Waits until every byte given is hashed. */
  settle?(): Promise<void>;
  /** Lets go of a hash that will not be finished. */
  discard?(): void;
}

export interface IngestSpec {
  /** Decoded, verified payload bytes. */
  source: AsyncIterable<Buffer>;
  /** The declared plaintext length; the stream must deliver exactly this much. */
  plainBytes: number;
  objectKey: Buffer;
  identity: { bucket: string; key: string; uploadId: string; partNumber: number };
  /** Every hash the request needs (MD5 for the ETag, the client's checksum), fed the same chunks. */
  hashers: readonly Hasher[];
}

export interface IngestedStream extends NewBlob {
  size: number;
  /** Directories to fsync before the commit that names this blob (none for inline blobs). */
  syncDirs: string[];
}

/**
 * Each chunk is hashed and encrypted as it arrives and its ciphertext written, so memory stays
 * bounded by the write batch whatever the object size. On any failure the partial blob is removed;
 * nothing is visible until the caller commits the returned blob.
 */
export async function ingestStream(services: StoreServices, spec: IngestSpec): Promise<IngestedStream> {
  const sink = services.blobs.createSink(encryptedSize(spec.plainBytes));
  const encryptor = new SegmentEncryptor(spec.objectKey, { ...spec.identity, blobId: sink.blobId }, spec.plainBytes);
  const streamEnded = streamStarting(spec.plainBytes);
  try {
    await sink.write([encryptor.header()]);
    for await (const chunk of spec.source) {
      noteStreamedBytes(chunk.length);
      for (const hasher of spec.hashers) hasher.update(chunk);
      await sink.write(encryptor.update(chunk));
      for (const hasher of spec.hashers) {
        const backlog = hasher.backlog?.();
        if (backlog) await backlog;
      }
    }
    await sink.write(encryptor.final());
    const [location] = await Promise.all([sink.finish(), ...spec.hashers.map((h) => h.settle?.())]);
    return {
      blobId: sink.blobId,
      inline: location.kind === 'inline' ? location.data : undefined,
      size: spec.plainBytes,
      syncDirs: location.kind === 'file' ? [location.dir] : [],
    };
  } catch (err) {
    for (const hasher of spec.hashers) hasher.discard?.();
    await sink.abort();
    if (err instanceof StreamLengthError) throw new S3Error('IncompleteBody');
    throw err;
  } finally {
    streamEnded();
  }
}
