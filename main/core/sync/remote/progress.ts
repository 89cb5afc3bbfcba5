// A byte counter that reports transfer progress monotonically and always ends at the object's size.

export class ProgressCounter {
  private moved: number;
  private reported = -1;

  constructor(
    private readonly onProgress: ((bytes: number) => void) | undefined,
    /** Bytes already in place (parts uploaded before a restart). */
    alreadyMoved = 0,
  ) {
    this.moved = alreadyMoved;
    if (alreadyMoved > 0) this.report();
  }

  get bytes(): number {
    return this.moved;
  }

  add(bytes: number): void {
    if (bytes <= 0) return;
    this.moved += bytes;
    this.report();
  }

  /** The transfer completed: report the total once more if the last report was short of it. */
  finish(totalBytes: number): void {
    this.moved = Math.max(this.moved, totalBytes);
    this.report();
  }

  private report(): void {
    if (this.moved <= this.reported) return;
    this.reported = this.moved;
    this.onProgress?.(this.moved);
  }
}
