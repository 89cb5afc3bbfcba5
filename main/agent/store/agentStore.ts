// The agent's embedded store: on the agent's event loop, or on a thread of its own with the services opened a second time here for keys, KMS and history.
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { loadOrCreateRootKey } from '../../core/keys/rootKey.js';
import type { RunningStore } from '../../core/store/storeServer.js';
import { openStoreServices, type StoreServices } from '../../core/store/storeServices.js';
import { runStore, storeServiceOptions, type StartedStore } from './runStore.js';
import type { StoreCommandOptions } from './storeCommandOptions.js';
import { StoreThread } from './storeThreadHost.js';

/** The agent's embedded store, wherever it serves. */
export interface AgentStore extends StartedStore {
  /** The store's own thread, when it serves on one. */
  readonly thread?: StoreThread;
  /** Resolves once what the store recorded so far is in the access history. */
  flushAudit(): Promise<void>;
}

/** The store serving on the agent's own event loop: its services are the ones the agent uses, so its history needs no flush of its own. */
export async function runStoreInline(options: StoreCommandOptions, logger: Logger, env: NodeJS.ProcessEnv): Promise<AgentStore> {
  const started = await runStore(options, logger, env);
  return { ...started, flushAudit: () => Promise.resolve() };
}

/**
 * The store's files are made for more than one opener (the CLI works beside a running store): the
 * keyring, the KMS and the metadata are read from SQLite on every use, and the access history
 * chains whoever commits second onto whoever committed first. So the agent's own calls (rotate
 * the master key, manage KMS keys, read the history) use services opened on this thread, while
 * the thread serves S3 requests; only the thread sweeps orphaned blobs, at its start.
 * StoreThreadStartError when the store cannot start.
 */
export async function runStoreInThread(options: StoreCommandOptions, logger: Logger, env: NodeJS.ProcessEnv): Promise<AgentStore & { readonly thread: StoreThread }> {
  const thread = await StoreThread.start(options, logger, env);
  const { started } = thread;
  const dataDir = resolve(options.dataDir);
  let services: StoreServices;
  try {
    const rootKey = loadOrCreateRootKey(dataDir, env);
    services = await openStoreServices({ ...storeServiceOptions(options, dataDir, rootKey.key, started.credentials), sweepOrphanBlobs: false });
  } catch (err) {
    await thread.close();
    throw err;
  }
  const running: RunningStore = {
    httpUrl: started.httpUrl,
    httpsUrl: started.httpsUrl,
    services,
    async close() {
      try {
        await thread.close();
      } finally {
        await services.close();
      }
    },
  };
  return { running, tls: started.tls, credentials: started.credentials, banner: started.banner, thread, flushAudit: () => thread.flushAudit() };
}
