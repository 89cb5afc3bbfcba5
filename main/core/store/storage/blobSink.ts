// Where a stream's ciphertext is written while it arrives, and where it ends up.
export type BlobLocation = { kind: 'inline'; data: Buffer } | { kind: 'file'; dir: string };

export interface BlobSink {
  readonly blobId: string;
  write(pieces: readonly Buffer[]): Promise<void>;
  /** Makes the bytes durable (fsync for files) and says where they are, for the commit. */
  finish(): Promise<BlobLocation>;
  /** Throws the partial blob away; safe to call after a failure at any point. */
  abort(): Promise<void>;
}
