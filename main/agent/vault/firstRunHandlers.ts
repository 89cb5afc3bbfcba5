// First run from the UI: create the vault (the recovery key shown once) or recover it with the recovery key.
import type { ContractHandlers } from '../../../preload/contract.js';
import { assertNewPassphrase, createVault, RecoveryKeyError, recoverVault, VaultExistsError, type Vault, type VaultOptions } from '../../core/keys/vault/index.js';
import { ApiError } from '../control/apiError.js';
import type { Agent } from '../runtime/agent.js';
import { settingsOfRecord } from '../runtime/folderRecords.js';

const VAULT_EXISTS = 'this data directory already has a vault; unlock it instead';

/** As the agent opens its vault at start: events to its access history, the device as principal; scrypt calibrated here, as `coffer vault init` does. */
function vaultOptions(agent: Agent): VaultOptions {
  return { principal: agent.config.deviceName, onEvent: (event) => agent.audit.record(event) };
}

/** Refusals before any file is written: a vault already there, a passphrase the vault would refuse. */
function checkFirstRun(agent: Agent, passphrase: string): void {
  if (agent.vault) throw new ApiError('VaultExists', VAULT_EXISTS);
  try {
    assertNewPassphrase(passphrase);
  } catch (err) {
    // The vault's policy throws a plain RangeError; its message never holds the passphrase.
    throw new ApiError('WeakPassphrase', (err as Error).message);
  }
}

/** The vault's refusals as API errors (their messages name no secret); anything else as it came. */
function asApiError(err: unknown): unknown {
  if (err instanceof VaultExistsError) return new ApiError('VaultExists', VAULT_EXISTS);
  if (err instanceof RecoveryKeyError) return new ApiError('RecoveryKeyError', err.message);
  return err;
}

/** The new vault becomes the agent's (unlocked) and any folders it records start. */
async function adopt(agent: Agent, vault: Vault): Promise<void> {
  try {
    agent.adoptVault(vault);
  } catch (err) {
    vault.close();
    throw err;
  }
  for (const record of vault.folders.list()) await agent.startFolder(settingsOfRecord(record));
}

/**
 * vault.create: VaultExists when the data dir has a vault, WeakPassphrase for a passphrase under
 * the vault's minimum; answers the recovery key as `coffer vault init --json` prints it (groups of
 * five). vault.recover: the same refusals, and RecoveryKeyError for a key with a typo or the wrong
 * length. A refused request writes nothing.
 */
export function firstRunHandlers(agent: Agent): Pick<ContractHandlers, 'vault.create' | 'vault.recover'> {
  return {
    'vault.create': async ({ passphrase }) => {
      checkFirstRun(agent, passphrase);
      let created: { vault: Vault; recoveryKey: string };
      try {
        created = await createVault(agent.dataDir, passphrase, vaultOptions(agent));
      } catch (err) {
        throw asApiError(err);
      }
      await adopt(agent, created.vault);
      return { recoveryKey: created.recoveryKey };
    },
    'vault.recover': async ({ recoveryKey, passphrase }) => {
      checkFirstRun(agent, passphrase);
      let vault: Vault;
      try {
        vault = await recoverVault(agent.dataDir, recoveryKey, passphrase, vaultOptions(agent));
      } catch (err) {
        throw asApiError(err);
      }
      await adopt(agent, vault);
      return null;
    },
  };
}
