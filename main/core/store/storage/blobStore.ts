// Where encrypted streams live: small ones inline in SQLite, large ones as files named by random id.
import { randomBytes } from 'node:crypto';
import { promises as fsp, constants as fsConstants } from 'node:fs';
import { join } from 'node:path';
import type { SqliteDatabase } from '../../db/openDatabase.js';
import type { CipherSource } from '../../crypto/segmentDecryptor.js';

/**
 * Streams up to this many ciphertext bytes are kept inline: they commit with their metadata row in
 * one SQLite transaction, so a batch of small PUTs costs one WAL fsync instead of one fsync per file.
 */
export const INLINE_MAX_BYTES = 128 * 1024;

/** Ciphertext is gathered into writes of about this size before a writev system call. */
const WRITE_BATCH_BYTES = 1024 * 1024;

export type BlobLocation = { kind: 'inline'; data: Buffer } | { kind: 'file'; dir: string };

export interface BlobSink {
  readonly blobId: string;
  write(pieces: readonly Buffer[]): Promise<void>;
  /** Makes the bytes durable (fsync for files) and says where they are, for the commit. */
  finish(): Promise<BlobLocation>;
  /** Throws the partial blob away; safe to call after a failure at any point. */
  abort(): Promise<void>;
}

export interface OpenedBlob extends CipherSource {
  close(): Promise<void>;
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

  constructor(
    readonly root: string,
    db: SqliteDatabase,
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
  }

  shardDir(blobId: string): string {
    return join(this.root, blobId.slice(0, 2));
  }

  filePath(blobId: string): string {
    return join(this.shardDir(blobId), blobId);
  }

  createSink(cipherBytes: number): BlobSink {
    const blobId = BlobStore.newBlobId();
    return cipherBytes <= INLINE_MAX_BYTES ? new InlineSink(blobId) : new FileSink(blobId, this.filePath(blobId), this.shardDir(blobId));
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
    const handle = await fsp.open(this.filePath(blobId), fsConstants.O_RDONLY);
    const { size } = await handle.stat();
    return {
      size,
      read: async (position, length) => {
        const buffer = Buffer.allocUnsafe(length);
        let done = 0;
        while (done < length) {
          const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
          if (bytesRead === 0) throw new Error('blob ended early');
          done += bytesRead;
        }
        return buffer;
      },
      close: () => handle.close(),
    };
  }

  /** After a commit: removes replaced file blobs, later if a reader still has them pinned. */
  async deleteFiles(blobIds: readonly string[]): Promise<void> {
    await Promise.all(
      blobIds.map(async (id) => {
        if (this.pins.has(id)) this.doomed.add(id);
        else await this.unlink(id);
      }),
    );
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

class FileSink implements BlobSink {
  private handle: fsp.FileHandle | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    readonly blobId: string,
    private readonly path: string,
    private readonly dir: string,
  ) {}

  async write(pieces: readonly Buffer[]): Promise<void> {
    for (const piece of pieces) {
      this.pending.push(piece);
      this.pendingBytes += piece.length;
    }
    if (this.pendingBytes >= WRITE_BATCH_BYTES) await this.flush();
  }

  async finish(): Promise<BlobLocation> {
    await this.flush();
    const handle = await this.opened();
    await handle.sync();
    await handle.close();
    this.handle = undefined;
    return { kind: 'file', dir: this.dir };
  }

  async abort(): Promise<void> {
    this.pending = [];
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await fsp.rm(this.path, { force: true });
  }

  private async opened(): Promise<fsp.FileHandle> {
    // 'wx': a fresh random id never names an existing file; failing loudly beats overwriting one.
    this.handle ??= await fsp.open(this.path, 'wx', 0o600);
    return this.handle;
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const handle = await this.opened();
    let pieces = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    while (pieces.length > 0) {
      const { bytesWritten } = await handle.writev(pieces);
      pieces = dropWritten(pieces, bytesWritten);
    }
  }
}

/** writev may write less than asked; returns what is left, slicing the first partly written piece. */
function dropWritten(pieces: Buffer[], written: number): Buffer[] {
  let skip = written;
  let i = 0;
  while (i < pieces.length && skip >= pieces[i]!.length) {
    skip -= pieces[i]!.length;
    i++;
  }
  const rest = pieces.slice(i);
  if (rest.length > 0 && skip > 0) rest[0] = rest[0]!.subarray(skip);
  return rest;
}
