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

export class CycleProgress {
  private pendingUp = 0;
  private pendingDown = 0;
  private bytesDone = 0;
  private bytesTotal = 0;
  private samples: { at: number; bytes: number }[] = [];

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
      const at = this.clock();
      this.samples.push({ at, bytes: delta });
      while (this.samples.length > 0 && this.samples[0]!.at < at - RATE_WINDOW_MS) this.samples.shift();
    };
  }

  finished(direction: 'up' | 'down'): void {
    if (direction === 'up') this.pendingUp = Math.max(0, this.pendingUp - 1);
    else this.pendingDown = Math.max(0, this.pendingDown - 1);
  }

  snapshot(): ProgressSnapshot {
    const at = this.clock();
    const recent = this.samples.filter((s) => s.at >= at - RATE_WINDOW_MS);
    const bytes = recent.reduce((sum, s) => sum + s.bytes, 0);
    const span = recent.length > 0 ? Math.max(1000, at - recent[0]!.at) : 1000;
    return { pendingUp: this.pendingUp, pendingDown: this.pendingDown, bytesDone: this.bytesDone, bytesTotal: this.bytesTotal, rate: Math.round((bytes * 1000) / span) };
  }
}
