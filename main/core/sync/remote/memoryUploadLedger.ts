// An UploadLedger held in memory: for tests and for stores whose uploads need not survive a restart.
import type { MultipartCheckpoint, UploadLedger } from './objectStore.js';

type Part = MultipartCheckpoint['parts'][number];

interface Entry {
  readonly checkpoint: Omit<MultipartCheckpoint, 'parts'>;
  readonly parts: Map<number, Part>;
}

export class MemoryUploadLedger implements UploadLedger {
  private readonly entries = new Map<string, Entry>();

  find(key: string): MultipartCheckpoint | undefined {
    const entry = this.entries.get(key);
    return entry && snapshot(entry);
  }

  begin(checkpoint: Omit<MultipartCheckpoint, 'parts'>): void {
    const { key, uploadId, fingerprint, partSize } = checkpoint;
    this.entries.set(key, { checkpoint: { key, uploadId, fingerprint, partSize }, parts: new Map() });
  }

  partDone(key: string, uploadId: string, part: Part): void {
    const entry = this.current(key, uploadId);
    entry?.parts.set(part.partNumber, { partNumber: part.partNumber, etag: part.etag, size: part.size });
  }

  finish(key: string, uploadId: string): void {
    if (this.current(key, uploadId)) this.entries.delete(key);
  }

  all(): MultipartCheckpoint[] {
    return [...this.entries.values()].map(snapshot);
  }

  private current(key: string, uploadId: string): Entry | undefined {
    const entry = this.entries.get(key);
    return entry?.checkpoint.uploadId === uploadId ? entry : undefined;
  }
}

/** A copy, so callers never see later parts appear in a checkpoint they hold. */
function snapshot(entry: Entry): MultipartCheckpoint {
  const parts = [...entry.parts.values()].sort((a, b) => a.partNumber - b.partNumber);
  return { ...entry.checkpoint, parts };
}
