// Wires the long folder jobs (re-key, mode change) to a data dir's vault, index and access history: for the agent and for the CLI alone.
import { resolve } from 'node:path';
import type { SetModeRequest } from '../../../preload/contract.js';
import type { AuditSink } from '../../core/audit/auditEvent.js';
import type { Vault } from '../../core/keys/vault/index.js';
import { changeFolderMode, type ModeChangeOutcome } from '../../core/sync/folder/changeFolderMode.js';
import { customerKeyFingerprint, readCustomerKeyFile } from '../../core/sync/folder/customerKeyFile.js';
import { FolderJobError, type JobProgress } from '../../core/sync/folder/folderJob.js';
import type { FolderSettings } from '../../core/sync/folder/folderSettings.js';
import { settingsAfterChange, type ModeTarget } from '../../core/sync/folder/modeChangeSettings.js';
import { rekeyFolder, type RekeyOutcome } from '../../core/sync/folder/rekeyFolder.js';
import type { LocalIndex } from '../../core/sync/index/localIndex.js';
import type { ObjectStore } from '../../core/sync/remote/objectStore.js';
import { withRetries } from '../../core/sync/remote/retry.js';
import { folderKeys } from '../runtime/folderKeys.js';
import { documentOf } from '../runtime/folderRecords.js';

/** What a job needs of the data dir it runs on. */
export interface JobDeps {
  readonly vault: Vault | undefined;
  readonly index: LocalIndex;
  readonly audit: AuditSink;
  /** The device name the access history records the work under. */
  readonly device: string;
  /** Objects copied at once. */
  readonly concurrency: number;
}

export interface JobControl {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: JobProgress) => void;
}

function unlockedVault(vault: Vault | undefined, what: string): Vault {
  if (!vault) throw new FolderJobError('this data directory has no vault yet: run coffer vault init');
  if (!vault.isUnlocked) throw new FolderJobError(`the vault is locked: unlock it for ${what} (COFFER_PASSPHRASE, or coffer vault unlock)`);
  return vault;
}

function runOptions(deps: JobDeps, control: JobControl) {
  return { concurrency: deps.concurrency, retry: <R>(fn: () => Promise<R>) => withRetries(fn, { attempts: 5 }), ...control };
}

/** Re-keys one sse-c-vault folder's objects through `store` (see rekeyFolder). FolderJobError while its mode is changing. */
export async function rekeyOn(deps: JobDeps, settings: FolderSettings, store: ObjectStore, olderThanDays: number, control: JobControl = {}): Promise<RekeyOutcome> {
  const vault = unlockedVault(deps.vault, 'per-file key rotation');
  if (settings.pendingMode) throw new FolderJobError(`folder ${settings.id} is changing its mode to ${settings.pendingMode.mode}: let that finish first`);
  return rekeyFolder({ ...runOptions(deps, control), settings, store, vault, index: deps.index, audit: deps.audit, device: deps.device, olderThanDays });
}

/**
 * Carries out the folder's pending mode change through `store` (see changeFolderMode); when every
 * object is done the new settings are saved in the vault. FolderJobError when a key either mode
 * needs is not at hand (locked vault, missing or different SSE-C key file).
 */
export async function changeModeOn(deps: JobDeps, settings: FolderSettings, store: ObjectStore, control: JobControl = {}): Promise<ModeChangeOutcome> {
  if (!deps.vault) throw new FolderJobError('this data directory has no vault yet: run coffer vault init');
  const vault = deps.vault;
  const target = settingsAfterChange(settings);
  if (settings.mode === 'sse-c-vault' || target.mode === 'sse-c-vault') unlockedVault(vault, 'a change to or from sse-c-vault');
  const from = folderKeys(settings, vault);
  if ('blocked' in from) throw new FolderJobError(from.blocked);
  try {
    const to = folderKeys(target, vault);
    if ('blocked' in to) throw new FolderJobError(to.blocked);
    try {
      return await changeFolderMode({
        ...runOptions(deps, control),
        settings,
        store,
        index: deps.index,
        audit: deps.audit,
        device: deps.device,
        vault: vault.isUnlocked ? vault : undefined,
        fromKeys: from,
        toUserKey: to.userKey,
        saveSettings: (next) => vault.folders.update(settings.id, { settings: documentOf(next) }),
      });
    } finally {
      to.userKey?.fill(0);
    }
  } finally {
    from.userKey?.fill(0);
  }
}

/**
 * The encryption a set-mode request asks for. A new SSE-C key file is read here only to take its
 * fingerprint (the key itself is read again when the job runs). FolderJobError for fields that
 * do not belong to the mode; CustomerKeyError for a missing or malformed key file.
 */
export function modeTargetOf(request: Pick<SetModeRequest, 'mode' | 'kmsKeyId' | 'sseCKeyFile'>): ModeTarget {
  if (request.kmsKeyId !== undefined && request.mode !== 'sse-kms') throw new FolderJobError('--kms-key-id only applies to mode sse-kms');
  if (request.sseCKeyFile !== undefined && request.mode !== 'sse-c-key') throw new FolderJobError('--sse-c-key-file only applies to mode sse-c-key');
  if (request.mode === 'sse-kms') return { mode: 'sse-kms', ...(request.kmsKeyId ? { kmsKeyId: request.kmsKeyId } : {}) };
  if (request.mode !== 'sse-c-key') return { mode: request.mode };
  if (!request.sseCKeyFile) throw new FolderJobError('mode sse-c-key needs --sse-c-key-file');
  const keyFile = resolve(request.sseCKeyFile);
  const key = readCustomerKeyFile(keyFile);
  try {
    return { mode: 'sse-c-key', sseCKeyFingerprint: customerKeyFingerprint(key), sseCKeyFile: keyFile };
  } finally {
    key.fill(0);
  }
}
