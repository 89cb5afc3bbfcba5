// Frees the buffers a long transfer has finished with: a young-generation collection after every few MiB streamed.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A transfer allocates one Buffer per socket read and one per encrypted or decrypted segment. Their
 * bytes live outside the JavaScript heap and go back to the allocator only when a scavenge finds
 * their small wrappers dead, but V8 schedules scavenges by how much the heap allocates, not by
 * those bytes. With the default 16 MiB semi-spaces a 1 GiB PUT built up 40 to 50 MiB of spent
 * buffers between scavenges (process.memoryUsage().arrayBuffers), and the allocator kept the
 * high-water mark resident. A minor collection after every COLLECT_EVERY_BYTES streamed halved that
 * pile (about 20 MiB at most over the same PUT and its GET); one takes under a millisecond, as only
 * the live request state is copied.
 */
export const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;

/** Runs `collect` each time the bytes noted since the last run reach `everyBytes`. */
export class StreamCollector {
  private sinceLastRun = 0;

  constructor(
    private readonly everyBytes: number,
    private readonly collect: () => void,
  ) {}

  note(bytes: number): void {
    this.sinceLastRun += bytes;
    if (this.sinceLastRun < this.everyBytes) return;
    this.sinceLastRun = 0;
    this.collect();
  }
}

type Gc = (options: { type: 'minor' }) => void;

/** V8's minor collection, reached without starting the process with --expose-gc; a no-op where it cannot be had. */
function minorCollection(): () => void {
  let gc = (globalThis as { gc?: unknown }).gc;
  if (typeof gc !== 'function') {
    try {
      // Only a context created while the flag is on gets gc(); the flag goes off again at once so
      // no other context (a vm sandbox, a renderer) is given one.
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as unknown;
    } catch {
      gc = undefined;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  }
  if (typeof gc !== 'function') return () => {};
  const collect = gc as Gc;
  return () => collect({ type: 'minor' });
}

let shared: StreamCollector | undefined;

/**
 * Turns the collection on for this thread. `coffer store` does, as its thread serves only the store
 * and streamed buffers are most of what it allocates. The agent does not: its heap keeps a sync
 * cycle's state alive, which every extra scavenge would copy again.
 */
export function collectSpentBuffers(): void {
  shared ??= new StreamCollector(COLLECT_EVERY_BYTES, minorCollection());
}

/** Counts bytes a stream moved through this thread; once turned on, collects the young generation each time COLLECT_EVERY_BYTES have passed. */
export function noteStreamedBytes(bytes: number): void {
  shared?.note(bytes);
}
