// Starts and talks to the audit writer thread: one promise per batch, restarted if the thread dies.
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { HELPER_THREAD_LIMITS } from '../threads/helperThreadLimits.js';
import { spawnModuleThread } from '../threads/moduleThread.js';
import type { EncodedEvent } from './eventCodec.js';
import type { FromWriter, ToWriter, WriterInit } from './writerProtocol.js';

/** A batch the writer could not commit (SQLite's error, e.g. SQLITE_BUSY or SQLITE_FULL). */
export class AuditWriteError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'AuditWriteError';
  }
}

interface Pending {
  resolve: (result: { ms: number }) => void;
  reject: (error: Error) => void;
}

function spawn(init: WriterInit): Worker {
  return spawnModuleThread(import.meta.url, 'writerThread', init, HELPER_THREAD_LIMITS);
}

/**
 * The thread is unref'd while idle, so an AuditLog never keeps a process alive by itself, and
 * ref'd while a batch is in flight, so a process does not exit under a commit.
 */
export class WriterThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly init: WriterInit) {}

  append(events: EncodedEvent[]): Promise<{ ms: number }> {
    const worker = this.start();
    const id = this.nextId++;
    const result = new Promise<{ ms: number }>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    worker.ref();
    this.send(worker, { type: 'append', id, events });
    return result;
  }

  /** Signs the tail digest and closes the thread's connection; resolves once the thread has exited. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    worker.ref();
    const closed = new Promise<FromWriter>((resolve) => worker.once('message', resolve));
    const exited = once(worker, 'exit');
    this.send(worker, { type: 'close' });
    const reply = await Promise.race([closed, exited.then(() => undefined)]);
    await exited;
    this.worker = undefined;
    if (reply?.type === 'closed' && reply.error) throw new AuditWriteError(reply.error);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = spawn(this.init);
    worker.unref();
    worker.on('message', (message: FromWriter) => this.settle(message));
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(error);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new AuditWriteError(`the audit writer thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private send(worker: Worker, message: ToWriter): void {
    worker.postMessage(message);
  }

  private settle(message: FromWriter): void {
    if (message.type === 'closed') return;
    const p = this.pending.get(message.id);
    if (!p) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (message.type === 'appended') p.resolve({ ms: message.ms });
    else p.reject(new AuditWriteError(message.message, message.code));
  }
}
