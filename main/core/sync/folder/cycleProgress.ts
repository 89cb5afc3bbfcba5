// Counts a cycle's pending transfers and bytes so status lines and the UI can show progress and rate.

export interface ProgressSnapshot {
  readonly pendingUp: number;
  readonly pendingDown: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  /** Bytes per second over the last few seconds. */
  readonly rate: number;
}

const RATE_WINDOW_MS = 5000;
/** Bytes are counted per 250 ms slot: a transfer reports every 64 KiB chunk, far too often to keep each. */
const SLOT_MS = 250;

export class CycleProgress {
  private pendingUp = 0;
  private pendingDown = 0;
  private bytesDone = 0;
  private bytesTotal = 0;
  /** Bytes moved per slot of the last RATE_WINDOW_MS, oldest first. */
  private slots: { slot: number; bytes: number }[] = [];

  constructor(private readonly clock: () => number = Date.now) {}

  plan(up: number, down: number, bytes: number): void {
    this.pendingUp += up;
    this.pendingDown += down;
    this.bytesTotal += bytes;
  }

  /** A transfer's progress callback: reports absolute bytes of one file, so it returns a reporter. */
  transfer(): (bytes: number) => void {
    let seen = 0;
    return (bytes) => {
      const delta = bytes - seen;
      if (delta <= 0) return;
      seen = bytes;
      this.bytesDone += delta;
      const slot = Math.floor(this.clock() / SLOT_MS);
      const last = this.slots.at(-1);
      if (last?.slot === slot) last.bytes += delta;
      else this.slots.push({ slot, bytes: delta });
      const oldest = slot - RATE_WINDOW_MS / SLOT_MS;
      while (this.slots.length > 0 && this.slots[0]!.slot < oldest) this.slots.shift();
    };
  }

  finished(direction: 'up' | 'down'): void {
    if (direction === 'up') this.pendingUp = Math.max(0, this.pendingUp - 1);
    else this.pendingDown = Math.max(0, this.pendingDown - 1);
  }

  snapshot(): ProgressSnapshot {
    const at = this.clock();
    const oldest = Math.floor(at / SLOT_MS) - RATE_WINDOW_MS / SLOT_MS;
    const recent = this.slots.filter((s) => s.slot >= oldest);
    const bytes = recent.reduce((sum, s) => sum + s.bytes, 0);
    const span = recent.length > 0 ? Math.max(1000, at - recent[0]!.slot * SLOT_MS) : 1000;
    return { pendingUp: this.pendingUp, pendingDown: this.pendingDown, bytesDone: this.bytesDone, bytesTotal: this.bytesTotal, rate: Math.round((bytes * 1000) / span) };
  }
}
