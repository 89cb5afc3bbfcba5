// For commands that work with or without a running agent: call its control API, or open the data dir directly.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Channel, RequestOf, ResponseOf } from '../../../preload/contract.js';
import { openVault, vaultPath, type Vault } from '../../core/keys/vault/index.js';
import { findRunningAgent } from '../control/agentFiles.js';
import { callAgent } from '../control/controlClient.js';

/** The running agent's answer, or undefined when no agent runs for this data dir. */
export async function viaAgent<C extends Channel>(dataDir: string, channel: C, request: RequestOf<C>): Promise<ResponseOf<C> | undefined> {
  const agent = findRunningAgent(resolve(dataDir));
  return agent ? callAgent(agent, channel, request) : undefined;
}

/** Opens the data dir's vault for one command (unlocked with COFFER_PASSPHRASE when `unlock` is asked and it is set). */
export async function withVault<T>(dataDir: string, env: NodeJS.ProcessEnv, unlock: boolean, use: (vault: Vault) => T | Promise<T>): Promise<T> {
  const dir = resolve(dataDir);
  if (!existsSync(vaultPath(dir))) throw new Error(`${dir} has no vault yet: run coffer vault init --data-dir ${dataDir}`);
  const vault = openVault(dir);
  try {
    if (unlock && env.COFFER_PASSPHRASE) await vault.unlock(env.COFFER_PASSPHRASE);
    return await use(vault);
  } finally {
    vault.lock();
    vault.close();
  }
}
