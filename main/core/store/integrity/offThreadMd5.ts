// MD5 on a worker thread: large SSE-S3 uploads hash their ETag on the second core while the request thread encrypts.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { HELPER_THREAD_LIMITS } from '../../threads/helperThreadLimits.js';

/**
 * MD5 is the slowest primitive a PUT needs (about 0.7 GiB/s on one core, S3's SSE-S3 ETag) and
 * is sequential per stream, so it moves whole to another thread. Bytes travel in batches copied
 * into buffers the worker takes ownership of; the request thread waits only when a stream has
 * more than BACKLOG_BYTES not yet hashed.
 */
const BATCH_BYTES = 256 * 1024;
const BACKLOG_BYTES = 4 * 1024 * 1024;

// Plain JavaScript, evaluated as the worker's body, so the same code runs from TypeScript sources,
// the compiled build and a packaged app, with no worker file to locate. It uses import() because an
// eval'd worker is CommonJS or ESM depending on how the process was started; messages sent before
// the listener is attached wait in the port.
const WORKER_SOURCE = `
Promise.all([import('node:worker_threads'), import('node:crypto')]).then(([{ parentPort }, { createHash }]) => {
  const hashes = new Map();
  parentPort.on('message', (m) => {
    let hash = hashes.get(m.id);
    if (m.op === 'update') {
      if (!hash) hashes.set(m.id, (hash = createHash('md5')));
      hash.update(m.data);
      // The batch buffer goes back to be filled again: no allocation per batch on either side.
      parentPort.postMessage({ id: m.id, hashed: m.data.byteLength, buffer: m.data.buffer }, [m.data.buffer]);
    } else if (m.op === 'digest') {
      hashes.delete(m.id);
      parentPort.postMessage({ id: m.id, digest: (hash ?? createHash('md5')).digest('hex') });
    } else if (m.op === 'drop') {
      hashes.delete(m.id);
    }
  });
});
`;

type Reply = { id: number; hashed: number; buffer: ArrayBuffer } | { id: number; digest: string };

interface Listener {
  hashed(bytes: number, buffer: ArrayBuffer): void;
  digest(hex: string): void;
  failed(err: Error): void;
}

class HashWorker {
  private readonly worker: Worker;
  private readonly listeners = new Map<number, Listener>();
  private nextId = 1;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: HELPER_THREAD_LIMITS });
    this.worker.on('message', (reply: Reply) => {
      const listener = this.listeners.get(reply.id);
      if (!listener) return;
      if ('digest' in reply) {
        this.forget(reply.id);
        listener.digest(reply.digest);
      } else {
        listener.hashed(reply.hashed, reply.buffer);
      }
    });
    this.worker.on('error', (err) => {
      for (const listener of this.listeners.values()) listener.failed(err);
      this.listeners.clear();
      this.worker.unref();
    });
    // After the listeners (adding a 'message' listener refs the worker): an idle hashing thread
    // never keeps the process alive; a stream being hashed does, until its digest arrives.
    this.worker.unref();
  }

  open(listener: Listener): number {
    const id = this.nextId++;
    if (this.listeners.size === 0) this.worker.ref();
    this.listeners.set(id, listener);
    return id;
  }

  private forget(id: number): void {
    if (this.listeners.delete(id) && this.listeners.size === 0) this.worker.unref();
  }

  send(message: { op: 'update'; id: number; data: Uint8Array } | { op: 'digest' | 'drop'; id: number }): void {
    if (message.op === 'update') this.worker.postMessage(message, [message.data.buffer as ArrayBuffer]);
    else this.worker.postMessage(message);
    if (message.op === 'drop') this.forget(message.id);
  }
}

let pool: HashWorker[] | undefined;
let turn = 0;

function nextWorker(): HashWorker {
  pool ??= Array.from({ length: Math.max(1, Math.min(2, availableParallelism() - 1)) }, () => new HashWorker());
  turn = (turn + 1) % pool.length;
  return pool[turn]!;
}

/** An MD5 of one stream, computed off the calling thread. */
export class OffThreadMd5 {
  private readonly worker = nextWorker();
  private readonly id: number;
  /** Batch buffers the worker has handed back, ready to fill again. */
  private readonly spare: Buffer[] = [];
  private batch: Buffer = Buffer.allocUnsafeSlow(BATCH_BYTES);
  private filled = 0;
  private unhashed = 0;
  private waiting: (() => void) | undefined;
  private result: Buffer | undefined;
  private failure: Error | undefined;
  private settled: Promise<void> | undefined;
  private resolveDigest: (() => void) | undefined;

  constructor() {
    this.id = this.worker.open({
      hashed: (bytes, buffer) => {
        this.unhashed -= bytes;
        this.spare.push(Buffer.from(buffer));
        if (this.unhashed <= BACKLOG_BYTES / 2) this.wake();
      },
      digest: (hex) => {
        this.result = Buffer.from(hex, 'hex');
        this.resolveDigest?.();
      },
      failed: (err) => {
        this.failure = err;
        this.wake();
        this.resolveDigest?.();
      },
    });
  }

  update(data: Buffer): void {
    let offset = 0;
    while (offset < data.length) {
      const take = Math.min(BATCH_BYTES - this.filled, data.length - offset);
      data.copy(this.batch, this.filled, offset, offset + take);
      this.filled += take;
      offset += take;
      if (this.filled === BATCH_BYTES) this.sendBatch();
    }
  }

  /** A promise to await when too much is queued for the worker; undefined when the caller may go on. */
  backlog(): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (this.unhashed <= BACKLOG_BYTES) return undefined;
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** Sends what is left and waits for the digest; afterwards digest() answers at once. */
  settle(): Promise<void> {
    this.settled ??= new Promise<void>((resolve, reject) => {
      this.resolveDigest = () => (this.failure ? reject(this.failure) : resolve());
      if (this.filled > 0) this.sendBatch();
      this.worker.send({ op: 'digest', id: this.id });
    });
    return this.settled;
  }

  digest(): Buffer {
    if (!this.result) throw new Error('OffThreadMd5.digest() before settle() finished');
    return this.result;
  }

  /** Forgets the stream (an upload that failed midway). */
  discard(): void {
    if (!this.settled) this.worker.send({ op: 'drop', id: this.id });
  }

  private sendBatch(): void {
    const data = this.filled === BATCH_BYTES ? this.batch : this.batch.subarray(0, this.filled);
    this.unhashed += data.length;
    this.worker.send({ op: 'update', id: this.id, data: new Uint8Array(data.buffer, data.byteOffset, data.length) });
    this.batch = this.spare.pop() ?? Buffer.allocUnsafeSlow(BATCH_BYTES);
    this.filled = 0;
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
