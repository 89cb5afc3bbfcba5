// A token-bucket bandwidth limit shared by every transfer of one direction, changeable while transfers run.
import { Transform } from 'node:stream';
import { systemClock, type Clock } from './clock.js';

export interface ThrottleOptions {
  /** Sustained rate in bytes per second; 0 means unlimited. */
  readonly bytesPerSecond: number;
  /** Bytes that may pass at once after an idle spell; defaults to one second's worth. */
  readonly burstBytes?: number;
  readonly clock?: Clock;
}

/** Largest slice a throttled stream lets through at a time, so a slow rate still trickles instead of stalling a socket. */
const MAX_SLICE_BYTES = 16 * 1024;

/**
 * Takers are served in arrival order, so concurrent transfers share the rate fairly. A take larger
 * than the burst is allowed and puts the bucket in debt: the next taker waits until it is repaid.
 */
export class Throttle {
  private rate = 0;
  private burst = 0;
  private tokens = 0;
  private refilledAt: number;
  private queueTail: Promise<void> = Promise.resolve();
  private wake = new AbortController();
  private readonly clock: Clock;

  constructor(options: ThrottleOptions) {
    this.clock = options.clock ?? systemClock;
    this.refilledAt = this.clock.now();
    this.setRate(options.bytesPerSecond, options.burstBytes);
  }

  get bytesPerSecond(): number {
    return this.rate;
  }

  /** Changes the rate at once, waking waiting takers; 0 lifts the limit (and forgives any debt). RangeError on a negative or non-finite rate. */
  setRate(bytesPerSecond: number, burstBytes?: number): void {
    if (!Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) throw new RangeError('bytesPerSecond must be a finite number >= 0');
    if (burstBytes !== undefined && (!Number.isFinite(burstBytes) || burstBytes <= 0)) throw new RangeError('burstBytes must be a finite number > 0');
    this.refill();
    const wasUnlimited = this.rate === 0;
    this.rate = bytesPerSecond;
    this.burst = burstBytes ?? bytesPerSecond;
    this.tokens = wasUnlimited || bytesPerSecond === 0 ? this.burst : Math.min(this.tokens, this.burst);
    this.wake.abort();
    this.wake = new AbortController();
  }

  /**
   * Resolves when `bytes` may be sent. Rejects with the signal's reason when it aborts first, and
   * the bytes are then given back to the bucket.
   */
  take(bytes: number, signal?: AbortSignal): Promise<void> {
    if (this.rate === 0 || bytes <= 0) return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
    const turn = this.queueTail.then(() => this.consume(bytes, signal));
    this.queueTail = turn.catch(() => undefined);
    return turn;
  }

  /** A pass-through stream that lets each chunk through in slices as the bucket allows. */
  stream(signal?: AbortSignal): Transform {
    const release = (chunk: Buffer, push: (slice: Buffer) => void): Promise<void> => this.release(chunk, signal, push);
    return new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        release(chunk, (slice) => this.push(slice)).then(() => callback(), (err: unknown) => callback(err as Error));
      },
    });
  }

  private async release(chunk: Buffer, signal: AbortSignal | undefined, push: (slice: Buffer) => void): Promise<void> {
    for (let offset = 0; offset < chunk.length; offset += MAX_SLICE_BYTES) {
      const slice = chunk.subarray(offset, offset + MAX_SLICE_BYTES);
      await this.take(slice.length, signal);
      push(slice);
    }
  }

  private async consume(bytes: number, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.refill();
    if (this.rate === 0) return;
    this.tokens -= bytes;
    while (this.rate > 0 && this.tokens < 0) {
      const waitMs = Math.ceil((-this.tokens / this.rate) * 1000);
      await this.clock.sleep(waitMs, signal ? AbortSignal.any([signal, this.wake.signal]) : this.wake.signal);
      if (signal?.aborted) {
        // These bytes will not be sent: give them back so the takers behind do not wait for them.
        this.tokens += bytes;
        throw signal.reason;
      }
      this.refill();
    }
  }

  private refill(): void {
    const now = this.clock.now();
    if (this.rate > 0) this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.rate) / 1000);
    this.refilledAt = now;
  }
}
