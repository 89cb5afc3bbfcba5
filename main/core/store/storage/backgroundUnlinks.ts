// Blob files a commit left unreferenced, unlinked after the request that dropped them is answered.
import type { BlobStore } from './blobStore.js';

export type UnlinkFailure = (err: unknown) => void;

/**
 * Unlinking a 1 GiB blob file took 130 to 180 ms here (the file system frees its extents), and
 * a DELETE or an overwrite used to wait for it. The object is gone once its row is, so the answer
 * need not wait. A crash before the unlink leaves a file no row names: the start-up sweep removes it.
 */
export class BackgroundUnlinks {
  private readonly running = new Set<Promise<void>>();
  private report: UnlinkFailure = (err) => process.emitWarning(`could not remove a blob file no object names: ${String(err)}`);

  constructor(private readonly blobs: BlobStore) {}

  /** Where failures go (the store's log); the file stays until the next start's sweep. */
  reportTo(report: UnlinkFailure): void {
    this.report = report;
  }

  start(blobIds: readonly string[]): void {
    if (blobIds.length === 0) return;
    const unlinking: Promise<void> = this.blobs
      .deleteFiles(blobIds)
      .catch((err: unknown) => this.report(err))
      .finally(() => this.running.delete(unlinking));
    this.running.add(unlinking);
  }

  /** Resolves once every unlink started so far, and any started meanwhile, has ended. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }
}
