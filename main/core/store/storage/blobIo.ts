// How a stream's ciphertext is written while it arrives (BlobSink) and read back (OpenedBlob).
import type { CipherSource } from '../../crypto/segmentDecryptor.js';

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
