// The store thread: serves the agent's embedded store on an event loop of its own, so the sync engine and the store use two cores.
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../logger.js';
import { runStore, type StartedStore } from './runStore.js';
import type { FromStoreThread, StoreThreadInit, ToStoreThread } from './storeThreadProtocol.js';

const init = workerData as StoreThreadInit;
const port = parentPort!;

function reply(message: FromStoreThread): void {
  port.postMessage(message);
}

async function serve(): Promise<void> {
  let started: StartedStore;
  try {
    started = await runStore(init.options, createLogger(init.options.logLevel), { ...init.env });
  } catch (err) {
    reply({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    port.close();
    return;
  }
  const { running, tls, credentials, banner } = started;
  reply({ type: 'started', httpUrl: running.httpUrl, httpsUrl: running.httpsUrl, tls, credentials, banner });
  port.on('message', (message: ToStoreThread) => {
    if (message.type === 'flushAudit') {
      void (running.services.auditLog?.flush() ?? Promise.resolve()).finally(() => reply({ type: 'flushed', id: message.id }));
      return;
    }
    // In-flight requests finish; then the database and the access history close.
    running.close().then(
      () => reply({ type: 'closed' }),
      (err: unknown) => reply({ type: 'closed', error: err instanceof Error ? err.message : String(err) }),
    ).finally(() => port.close());
  });
}

void serve();
