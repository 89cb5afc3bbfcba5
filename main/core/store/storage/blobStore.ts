// Where encrypted streams live: small ones inline in SQLite, large ones as files named by random id.
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { SqliteDatabase } from '../../db/openDatabase.js';
import { MAX_SEGMENTS_PER_READ } from '../../crypto/segmentDecryptor.js';
import { SEGMENT_CIPHER_BYTES } from '../../crypto/segmentFormat.js';
import { AlignedBufferPool, DIRECT_IO_BLOCK } from './alignedBuffers.js';
import type { BlobLocation, BlobSink, OpenedBlob } from './blobIo.js';
import { BufferedFileSink } from './bufferedFileSink.js';
import { DirectFileSink } from './directFileSink.js';
import { directCreateFlags, directIoWorks } from './directIo.js';
import { openFileBlob } from './fileBlobReader.js';

export type { BlobLocation, BlobSink, OpenedBlob } from './blobIo.js';

/**
 * Streams up to this many ciphertext bytes are kept inline: they commit with their metadata row in
 * one SQLite transaction, so a batch of small PUTs costs one WAL fsync instead of one fsync per file.
 */
export const INLINE_MAX_BYTES = 128 * 1024;

/** A direct read covers the decryptor's largest read (MAX_SEGMENTS_PER_READ segments) and the blocks around it, in whole 64 KiB pages. */
const DIRECT_READ_BYTES = Math.ceil((MAX_SEGMENTS_PER_READ * SEGMENT_CIPHER_BYTES + 2 * DIRECT_IO_BLOCK) / 65536) * 65536;

/** Each direct write moves one aligned buffer of this size; a large upload holds two. */
const DIRECT_WRITE_BYTES = 1024 * 1024;

/** Aligned buffers each pool keeps for the next transfers instead of mapping new ones (an upload holds two, a GET three). */
const MAX_SPARE_DIRECT_BUFFERS = 4;

export interface BlobStoreOptions {
  /** Write and read large blobs with O_DIRECT where the file system takes it (default true; checked at init). */
  directIo?: boolean;
}

/**
 * Blob file names are random ids, never object names, so no key ('..', NUL, 1024 bytes of odd
 * Unicode) can reach the file system. Files are sharded into 256 directories by the id's first byte.
 */
export class BlobStore {
  private readonly pins = new Map<string, number>();
  private readonly doomed = new Set<string>();
  private readonly selectInline;
  private readonly insertInlineStmt;
  private readonly deleteInlineStmt;
  private readonly directWriteBuffers = new AlignedBufferPool(DIRECT_WRITE_BYTES, MAX_SPARE_DIRECT_BUFFERS);
  private readonly directReadBuffers = new AlignedBufferPool(DIRECT_READ_BYTES, MAX_SPARE_DIRECT_BUFFERS);
  /** The open flags for direct writes once init() found that they work here; undefined means buffered. */
  private directFlags: number | undefined;

  constructor(
    readonly root: string,
    db: SqliteDatabase,
    private readonly options: BlobStoreOptions = {},
  ) {
    this.selectInline = db.prepare('SELECT data FROM inline_blobs WHERE blob_id = ?').pluck();
    this.insertInlineStmt = db.prepare('INSERT INTO inline_blobs (blob_id, data) VALUES (?, ?)');
    this.deleteInlineStmt = db.prepare('DELETE FROM inline_blobs WHERE blob_id = ?');
  }

  static newBlobId(): string {
    return randomBytes(16).toString('hex');
  }

  async init(): Promise<void> {
    await fsp.mkdir(this.root, { recursive: true });
    await Promise.all(
      Array.from({ length: 256 }, (_, i) => fsp.mkdir(join(this.root, i.toString(16).padStart(2, '0')), { recursive: true })),
    );
    const wanted = this.options.directIo !== false;
    this.directFlags = wanted && (await directIoWorks(this.root, this.directWriteBuffers)) ? directCreateFlags() : undefined;
  }

  /** Whether large blobs are written with direct I/O (known after init). */
  get writesDirect(): boolean {
    return this.directFlags !== undefined;
  }

  shardDir(blobId: string): string {
    return join(this.root, blobId.slice(0, 2));
  }

  filePath(blobId: string): string {
    return join(this.shardDir(blobId), blobId);
  }

  createSink(cipherBytes: number): BlobSink {
    const blobId = BlobStore.newBlobId();
    if (cipherBytes <= INLINE_MAX_BYTES) return new InlineSink(blobId);
    const path = this.filePath(blobId);
    const dir = this.shardDir(blobId);
    const buffers = this.directFlags === undefined ? undefined : this.directBuffers();
    if (buffers) return new DirectFileSink(blobId, path, dir, this.directFlags!, this.directWriteBuffers, buffers);
    return new BufferedFileSink(blobId, path, dir);
  }

  /** Two aligned buffers, or undefined (then this upload is buffered) when no more can be mapped. */
  private directBuffers(): [Buffer, Buffer] | undefined {
    const first = this.directWriteBuffers.acquire();
    const second = first && this.directWriteBuffers.acquire();
    if (first && second) return [first, second];
    if (first) this.directWriteBuffers.release(first);
    return undefined;
  }

  /** Inside a commit transaction: records an inline blob's bytes. */
  insertInline(blobId: string, data: Buffer): void {
    this.insertInlineStmt.run(blobId, data);
  }

  /** Inside a commit transaction: drops inline blobs; returns nothing to clean up on disk for them. */
  deleteInline(blobId: string): boolean {
    return this.deleteInlineStmt.run(blobId).changes > 0;
  }

  /**
   * Pins blobs against deletion while a reader uses them. Call in the same tick as the metadata
   * lookup, so an overwrite that commits meanwhile defers unlinking until the reader is done.
   */
  pin(blobIds: readonly string[]): () => void {
    for (const id of blobIds) this.pins.set(id, (this.pins.get(id) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const id of blobIds) {
        const left = (this.pins.get(id) ?? 1) - 1;
        if (left > 0) {
          this.pins.set(id, left);
          continue;
        }
        this.pins.delete(id);
        if (this.doomed.delete(id)) void this.unlink(id);
      }
    };
  }

  /** Opens a stream's ciphertext: from the inline table, else from its file. */
  async open(blobId: string): Promise<OpenedBlob> {
    const inline = this.selectInline.get(blobId) as Buffer | undefined;
    if (inline) {
      return {
        size: inline.length,
        read: async (position, length) => readExact(inline, position, length),
        close: async () => undefined,
      };
    }
    return openFileBlob(this.filePath(blobId), this.directFlags === undefined ? undefined : this.directReadBuffers);
  }

  /**
   * After a commit: removes replaced file blobs, later if a reader still has them pinned. Every
   * removal is tried and ended before the first failure, if any, is thrown.
   */
  async deleteFiles(blobIds: readonly string[]): Promise<void> {
    const outcomes = await Promise.allSettled(
      blobIds.map(async (id) => {
        if (this.pins.has(id)) this.doomed.add(id);
        else await this.unlink(id);
      }),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Lists every blob file on disk (for the start-up sweep of orphans left by a crash). */
  async listFiles(): Promise<string[]> {
    const shards = await fsp.readdir(this.root);
    const lists = await Promise.all(shards.map((s) => fsp.readdir(join(this.root, s)).catch(() => [] as string[])));
    return lists.flat();
  }

  private async unlink(blobId: string): Promise<void> {
    await fsp.rm(this.filePath(blobId), { force: true });
  }
}

function readExact(data: Buffer, position: number, length: number): Buffer {
  if (position + length > data.length) throw new Error('blob ended early');
  return data.subarray(position, position + length);
}

class InlineSink implements BlobSink {
  private readonly pieces: Buffer[] = [];

  constructor(readonly blobId: string) {}

  async write(pieces: readonly Buffer[]): Promise<void> {
    this.pieces.push(...pieces);
  }

  async finish(): Promise<BlobLocation> {
    return { kind: 'inline', data: Buffer.concat(this.pieces) };
  }

  async abort(): Promise<void> {
    this.pieces.length = 0;
  }
}
