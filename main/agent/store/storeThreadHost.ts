// Runs the agent's embedded store on a thread of its own, restarted at the same address if the thread dies.
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { spawnModuleThread } from '../../core/threads/moduleThread.js';
import type { StoreCommandOptions } from './storeCommandOptions.js';
import type { FromStoreThread, StoreThreadInit, ToStoreThread } from './storeThreadProtocol.js';

export type StoreThreadStarted = Extract<FromStoreThread, { type: 'started' }>;

/** The first wait before starting a dead thread again, doubled per failure up to the cap. */
const RESTART_DELAY_MS = 500;
const RESTART_DELAY_CAP_MS = 30_000;

/**
 * A small young generation: the store's garbage is mostly buffers held outside the heap by small
 * wrappers, freed only when a scavenge finds the wrappers dead. With the default (16 MiB semi-spaces)
 * tens of MiB of spent socket, TLS and cipher buffers pile up between scavenges.
 */
const STORE_THREAD_LIMITS = { maxYoungGenerationSizeMb: 1 };

/** The thread's first start failed: its reason (a port in use, a bad certificate…), as the store itself says it. */
export class StoreThreadStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreThreadStartError';
  }
}

function portOf(url: string | undefined, fallback: number): number {
  return url ? Number(new URL(url).port) : fallback;
}

function firstReply(worker: Worker): Promise<FromStoreThread> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromStoreThread): void => {
      cleanUp();
      resolve(message);
    };
    const onError = (err: Error): void => {
      cleanUp();
      reject(err);
    };
    const onExit = (code: number): void => {
      cleanUp();
      reject(new StoreThreadStartError(`the store thread exited (code ${code}) before it started`));
    };
    const cleanUp = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/**
 * One store thread. A thread that dies (an uncaught error in a request) is started again on the
 * ports it had, so the folders' clients, which keep the address, find it again after their
 * retries; the loss is logged. close() lets in-flight requests finish and waits for the thread.
 */
export class StoreThread {
  private worker: Worker;
  private closing = false;
  private restartCount = 0;
  private nextFlushId = 1;
  private readonly flushes = new Map<number, () => void>();
  private restartTimer: NodeJS.Timeout | undefined;
  /** True from a thread's death until its replacement serves. */
  private down = false;

  private constructor(
    private readonly init: StoreThreadInit,
    first: { worker: Worker; started: StoreThreadStarted },
    private readonly logger: Logger,
  ) {
    this.worker = first.worker;
    this.started = first.started;
    this.watch(first.worker);
  }

  /** What the first start reported: endpoints, certificate, credentials, the banner. */
  readonly started: StoreThreadStarted;

  /** StoreThreadStartError with the store's own reason when it cannot start. */
  static async start(options: StoreCommandOptions, logger: Logger, env: NodeJS.ProcessEnv): Promise<StoreThread> {
    const init: StoreThreadInit = { options, env: { ...env } };
    const first = await StoreThread.spawn(init);
    // A restart binds the ports the first start bound (a port 0 was replaced by a real one).
    const ports = { port: portOf(first.started.httpUrl, options.port), httpsPort: portOf(first.started.httpsUrl, options.httpsPort) };
    return new StoreThread({ ...init, options: { ...options, ...ports } }, first, logger);
  }

  private static async spawn(init: StoreThreadInit): Promise<{ worker: Worker; started: StoreThreadStarted }> {
    const worker = spawnModuleThread(import.meta.url, 'storeThread', init, STORE_THREAD_LIMITS);
    let reply: FromStoreThread;
    try {
      reply = await firstReply(worker);
    } catch (err) {
      await worker.terminate();
      throw err instanceof StoreThreadStartError ? err : new StoreThreadStartError((err as Error).message);
    }
    if (reply.type !== 'started') {
      await worker.terminate();
      throw new StoreThreadStartError(reply.type === 'failed' ? reply.message : `the store thread answered ${reply.type} before it started`);
    }
    return { worker, started: reply };
  }

  /** How often the thread was started again after dying. */
  get restarts(): number {
    return this.restartCount;
  }

  /** The thread serving now (tests end it to see the restart). */
  get thread(): Worker {
    return this.worker;
  }

  /** Resolves once events the store recorded so far are committed to the access history (at once if the thread is down). */
  async flushAudit(): Promise<void> {
    if (this.closing || this.down) return;
    const id = this.nextFlushId++;
    await new Promise<void>((resolve) => {
      this.flushes.set(id, resolve);
      this.send({ type: 'flushAudit', id });
    });
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearTimeout(this.restartTimer);
    // A replacement still starting ends itself when it sees `closing`.
    if (this.down) return;
    const worker = this.worker;
    const reply = new Promise<FromStoreThread | undefined>((resolve) => {
      worker.on('message', (message: FromStoreThread) => {
        if (message.type === 'closed') resolve(message);
      });
      worker.once('exit', () => resolve(undefined));
    });
    this.send({ type: 'close' });
    const closed = await reply;
    await worker.terminate();
    this.settleFlushes();
    if (closed?.type === 'closed' && closed.error) throw new Error(`the embedded store did not close cleanly: ${closed.error}`);
  }

  private send(message: ToStoreThread): void {
    this.worker.postMessage(message);
  }

  private settleFlushes(): void {
    for (const resolve of this.flushes.values()) resolve();
    this.flushes.clear();
  }

  private watch(worker: Worker): void {
    worker.on('message', (message: FromStoreThread) => {
      if (message.type !== 'flushed') return;
      this.flushes.get(message.id)?.();
      this.flushes.delete(message.id);
    });
    worker.on('error', (err) => this.logger.error({ reason: err.message }, 'the embedded store thread failed'));
    worker.once('exit', (code) => {
      if (this.closing || worker !== this.worker) return;
      this.down = true;
      this.settleFlushes();
      this.logger.error({ code }, 'the embedded store thread stopped; starting it again');
      this.scheduleRestart(RESTART_DELAY_MS);
    });
  }

  private scheduleRestart(delayMs: number): void {
    this.restartTimer = setTimeout(() => {
      StoreThread.spawn(this.init).then(
        ({ worker }) => {
          if (this.closing) {
            void worker.terminate();
            return;
          }
          this.worker = worker;
          this.down = false;
          this.restartCount++;
          this.watch(worker);
          this.logger.info({ restarts: this.restartCount }, 'the embedded store thread is serving again');
        },
        (err: unknown) => {
          if (this.closing) return;
          this.logger.error({ reason: (err as Error).message }, 'the embedded store thread did not start; trying again');
          this.scheduleRestart(Math.min(delayMs * 2, RESTART_DELAY_CAP_MS));
        },
      );
    }, delayMs);
  }
}
