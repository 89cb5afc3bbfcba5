// A data dir opened for a folder job when no agent runs: the vault (unlocked with COFFER_PASSPHRASE), the index, the access history.
import { resolve } from 'node:path';
import { openVault, type Vault } from '../../core/keys/vault/index.js';
import type { FolderSettings } from '../../core/sync/folder/folderSettings.js';
import { LocalIndex } from '../../core/sync/index/localIndex.js';
import type { S3ObjectStore } from '../../core/sync/remote/s3ObjectStore.js';
import { Throttle } from '../../core/sync/remote/throttle.js';
import { loadAgentConfig } from '../runtime/agentConfig.js';
import { settingsOfRecord } from '../runtime/folderRecords.js';
import { folderObjectStore } from '../runtime/folderStore.js';
import { withVaultAudit } from '../vault/vaultAudit.js';
import { CLI_PRINCIPAL } from '../vault/vaultActions.js';
import type { JobDeps } from './folderJobs.js';

export interface OfflineJobs {
  readonly deps: JobDeps & { readonly vault: Vault };
  readonly folders: readonly FolderSettings[];
  /** A store client for the folder (the caller closes it). Error when the folder is on the embedded store, which only the agent runs. */
  storeFor(settings: FolderSettings): S3ObjectStore;
}

/**
 * Runs `use` on the data dir and closes everything after. The vault is unlocked when
 * COFFER_PASSPHRASE is set (a wrong one fails here); otherwise it stays locked, and jobs that need
 * it say so. Events go to the data dir's access history when it has one.
 */
export async function withOfflineJobs<T>(dataDir: string, env: NodeJS.ProcessEnv, warn: (line: string) => void, use: (jobs: OfflineJobs) => Promise<T>): Promise<T> {
  const dir = resolve(dataDir);
  const config = loadAgentConfig(dir);
  return withVaultAudit(dir, env, warn, async (sink) => {
    const vault = openVault(dir, { onEvent: sink, principal: CLI_PRINCIPAL });
    let index: LocalIndex | undefined;
    try {
      if (env.COFFER_PASSPHRASE) await vault.unlock(env.COFFER_PASSPHRASE);
      index = LocalIndex.open(dir);
      const opened = index;
      const unlimited = { up: new Throttle({ bytesPerSecond: 0 }), down: new Throttle({ bytesPerSecond: 0 }) };
      return await use({
        deps: { vault, index: opened, audit: { record: (event) => sink?.(event) }, device: config.deviceName, concurrency: config.transfersPerFolder },
        folders: vault.folders.list().map(settingsOfRecord),
        storeFor(settings) {
          if (settings.store.kind === 'embedded') {
            throw new Error(`folder ${settings.id} is on the embedded store, which runs inside the agent: start the agent (coffer agent --data-dir ${dataDir}) and run this again`);
          }
          return folderObjectStore(settings, { vault, index: opened, throttle: unlimited, transfers: config.transfersPerFolder });
        },
      });
    } finally {
      index?.close();
      vault.close();
    }
  });
}
