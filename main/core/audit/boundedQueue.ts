// A FIFO with a hard capacity that evicts its oldest item when full, so memory stays bounded when the disk is gone.

export class BoundedQueue<T> {
  private items: T[] = [];
  private head = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('queue capacity must be a positive integer');
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** Adds at the back; returns true when the oldest item had to be evicted to make room. */
  push(item: T): boolean {
    const evicted = this.length >= this.capacity;
    if (evicted) this.discard(1);
    this.items.push(item);
    return evicted;
  }

  /** Removes and returns up to `max` items from the front. */
  take(max: number): T[] {
    const taken = this.items.slice(this.head, this.head + max);
    this.discard(taken.length);
    return taken;
  }

  /**
   * Puts items (older than everything queued) back at the front, as after a failed write; when
   * that overflows the capacity the oldest go. Returns how many were dropped.
   */
  restoreFront(older: readonly T[]): number {
    const merged = [...older, ...this.items.slice(this.head)];
    const dropped = Math.max(0, merged.length - this.capacity);
    this.items = merged.slice(dropped);
    this.head = 0;
    return dropped;
  }

  private discard(count: number): void {
    this.head = Math.min(this.items.length, this.head + count);
    // Compact once the consumed prefix dominates, so eviction is amortised O(1) rather than a shift per item.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
