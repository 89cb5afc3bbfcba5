// The contract, implemented by the agent: what the CLI, the browser UI and the desktop shell can ask of it.
import type { AgentStatus, ContractHandlers, FolderStatus, RekeyResult, SetModeResult } from '../../../preload/contract.js';
import { requestModeChange } from '../../core/sync/folder/modeChangeSettings.js';
import { ApiError } from '../control/apiError.js';
import { modeTargetOf, rekeyOn } from '../folders/folderJobs.js';
import type { Agent, FolderEntry } from './agent.js';
import { addFolderRecord, documentOf } from './folderRecords.js';
import { conflictHandlers } from '../folders/conflictHandlers.js';
import { historyHandlers } from '../history/historyHandlers.js';
import { keyHandlers } from '../keys/keyHandlers.js';
import { settingsHandlers } from '../settings/settingsHandlers.js';
import { firstRunHandlers } from '../vault/firstRunHandlers.js';
import { assertKeyTransport } from './keyTransport.js';

function isoOrUndefined(ms: number | null): string | undefined {
  return ms === null ? undefined : new Date(ms).toISOString();
}

export function folderStatus(agent: Agent, entry: FolderEntry): FolderStatus {
  const { settings, worker } = entry;
  const sync = worker?.sync;
  const progress = sync?.progress.snapshot() ?? { pendingUp: 0, pendingDown: 0, bytesDone: 0, bytesTotal: 0, rate: 0 };
  const stored = agent.index.folderState(settings.id);
  const store = settings.store.kind === 'embedded' ? 'embedded' : settings.store.endpoint;
  const job = entry.job;
  const jobReason = job && `${job.kind === 'rekey' ? 're-keying' : 're-encrypting'} ${job.done} of ${job.total}`;
  return {
    id: settings.id,
    localPath: settings.localPath,
    state: job ? 'syncing' : entry.blocked ? 'error' : (sync?.state ?? 'idle'),
    reason: jobReason ?? entry.blocked ?? sync?.reason,
    store,
    bucket: settings.bucket,
    prefix: settings.prefix,
    mode: settings.mode,
    ...(settings.kmsKeyId ? { kmsKeyId: settings.kmsKeyId } : {}),
    ...progress,
    ...(sync?.scanProgress ? { scan: { ...sync.scanProgress } } : {}),
    lastSyncAt: isoOrUndefined(stored.lastSyncAt),
    errors: [...(sync?.errors ?? [])],
    unresolvedConflicts: agent.index.conflicts(settings.id).length,
    watchMode: worker?.watchMode ?? 'off',
    ...(worker?.watchReason !== undefined && worker.watchMode === 'polling' ? { watchReason: worker.watchReason } : {}),
    ...(sync?.waitingDeletions !== undefined ? { pendingDeletions: sync.waitingDeletions } : {}),
    ...(job ? { job: { ...job } } : {}),
    ...(settings.pendingMode ? { pendingMode: settings.pendingMode.mode } : {}),
  };
}

export function agentStatus(agent: Agent): AgentStatus {
  const store = agent.store;
  return {
    vault: { exists: agent.vault !== undefined, unlocked: agent.vault?.isUnlocked ?? false },
    ...(store ? { store: { httpUrl: store.running.httpUrl, httpsUrl: store.running.httpsUrl, fingerprint256: store.tls?.fingerprint256 } } : {}),
    folders: [...agent.folders.values()].map((entry) => folderStatus(agent, entry)),
  };
}

function entriesFor(agent: Agent, folderId: string | undefined): FolderEntry[] {
  if (folderId === undefined) return [...agent.folders.values()];
  const entry = agent.folders.get(folderId);
  if (!entry) throw new ApiError('NoSuchFolder', `no folder with id ${folderId}`);
  return [entry];
}

function vaultOf(agent: Agent) {
  if (!agent.vault) throw new ApiError('NoVault', 'this data directory has no vault yet: run coffer vault init');
  return agent.vault;
}

function persist(agent: Agent, entry: FolderEntry): void {
  vaultOf(agent).folders.update(entry.settings.id, { settings: documentOf(entry.settings) });
}

/** Folders whose keys or credentials live in the vault: they restart when it is locked or unlocked. */
function usesVault(entry: FolderEntry): boolean {
  const s = entry.settings;
  return s.mode === 'sse-c-vault' || s.sseCKeyCredentialId !== undefined || s.store.kind === 'remote';
}

/** Re-keys each folder in turn, each with its sync stopped; a failure that concerns every object ends the run. */
async function rekeyFolders(agent: Agent, entries: readonly FolderEntry[], olderThanDays: number): Promise<RekeyResult> {
  const total: RekeyResult = { rekeyed: 0, skipped: 0, failed: 0, errors: [] };
  for (const { settings } of entries) {
    const outcome = await agent.runFolderJob(settings.id, 'rekey', async (entry, signal) => {
      const store = agent.jobStore(entry.settings);
      try {
        return await rekeyOn(agent.jobDeps, entry.settings, store, olderThanDays, { signal, onProgress: (p) => void (entry.job = { kind: 'rekey', done: p.done, total: p.total }) });
      } finally {
        await store.close();
      }
    });
    total.rekeyed += outcome.changed;
    total.skipped += outcome.skipped;
    total.failed += outcome.failed;
    total.errors.push(...outcome.errors.map((e) => ({ folderId: settings.id, key: e.key, message: e.message })));
    if (outcome.stoppedBy !== undefined) throw outcome.stoppedBy;
  }
  total.errors.splice(ERRORS_SHOWN);
  return total;
}

/** Per-object failures a response carries at most (the access history has all of them). */
const ERRORS_SHOWN = 20;

export function agentHandlers(agent: Agent): ContractHandlers {
  return {
    'status.get': async () => agentStatus(agent),
    'folders.add': async (request) => {
      const settings = addFolderRecord(vaultOf(agent), request, agent.dataDir, agent.env);
      const entry = await agent.startFolder(settings);
      return folderStatus(agent, entry);
    },
    'folders.pause': async ({ folderId }) => {
      for (const entry of entriesFor(agent, folderId)) {
        entry.settings.paused = true;
        entry.worker?.sync.pause();
        persist(agent, entry);
      }
      return null;
    },
    'folders.resume': async ({ folderId }) => {
      for (const entry of entriesFor(agent, folderId)) {
        entry.settings.paused = false;
        persist(agent, entry);
        entry.worker?.sync.resume();
      }
      return null;
    },
    'folders.syncNow': async ({ folderId }) => {
      await Promise.all(entriesFor(agent, folderId).map((entry) => entry.worker?.cycle()));
      return null;
    },
    'folders.remove': async ({ folderId }) => {
      entriesFor(agent, folderId);
      await agent.stopFolder(folderId);
      vaultOf(agent).folders.remove(folderId);
      agent.index.removeFolder(folderId);
      return null;
    },
    'folders.approveDeletions': async ({ folderId }) => {
      for (const entry of entriesFor(agent, folderId)) entry.worker?.sync.approveDeletions();
      return null;
    },
    'vault.unlock': async (request) => {
      const vault = vaultOf(agent);
      if ('recoveryKey' in request) vault.unlockWithRecoveryKey(request.recoveryKey, 'key-file');
      else await vault.unlock(request.passphrase);
      for (const entry of [...agent.folders.values()]) if (entry.blocked || usesVault(entry)) await agent.startFolder(entry.settings);
      return null;
    },
    'vault.lock': async () => {
      vaultOf(agent).lock();
      for (const entry of [...agent.folders.values()]) if (usesVault(entry)) await agent.startFolder(entry.settings);
      return null;
    },
    'keys.list': async () => ({
      vault: vaultOf(agent)
        .masterKeys()
        .map((k) => ({ id: k.id, createdAt: k.createdAt.toISOString(), current: k.current })),
    }),
    'keys.rotate': async () => {
      const result = vaultOf(agent).rotateMasterKey();
      // The new version travels to the other devices with the next keyring exchange.
      for (const entry of agent.folders.values()) if (entry.settings.mode === 'sse-c-vault') void entry.worker?.cycle();
      return result;
    },
    'keys.rekey': async ({ folderId, olderThanDays }) => {
      if (!vaultOf(agent).isUnlocked) throw new ApiError('VaultLocked', 'unlock the vault first: the per-file keys are in it');
      // Without a folder id, folders in the middle of a mode change are left for a later run.
      const entries = entriesFor(agent, folderId).filter((entry) => entry.settings.mode === 'sse-c-vault' && (folderId !== undefined || !entry.settings.pendingMode));
      if (folderId !== undefined && entries.length === 0) throw new ApiError('NotVaultMode', `folder ${folderId} is not sse-c-vault: only those folders have per-file keys`);
      return rekeyFolders(agent, entries, olderThanDays ?? 0);
    },
    'folders.setMode': async (request) => {
      const [entry] = entriesFor(agent, request.folderId);
      const vault = vaultOf(agent);
      if (agent.hasJob(request.folderId)) throw new ApiError('FolderBusy', `folder ${request.folderId} has a ${entry!.job?.kind ?? 'job'} under way; try again when it is done`);
      assertKeyTransport(entry!.settings.store, request.mode);
      const settings = requestModeChange(entry!.settings, modeTargetOf(request), new Date());
      if (settings !== entry!.settings) {
        vault.folders.update(settings.id, { settings: documentOf(settings) });
        entry!.settings = settings;
      }
      const outcome = await agent.changeMode(settings.id);
      if (outcome.stoppedBy !== undefined) throw outcome.stoppedBy;
      const result: SetModeResult = {
        mode: outcome.settings.mode,
        completed: outcome.completed,
        reencrypted: outcome.changed,
        skipped: outcome.skipped,
        failed: outcome.failed,
        errors: outcome.errors.slice(0, ERRORS_SHOWN).map((e) => ({ folderId: settings.id, key: e.key, message: e.message })),
      };
      return result;
    },
    'conflicts.list': async ({ folderId }) =>
      entriesFor(agent, folderId).flatMap((entry) =>
        agent.index.conflicts(entry.settings.id).map((c) => ({ id: c.id, folderId: c.folderId, path: c.path, conflictPath: c.conflictPath ?? '', kind: c.kind, time: new Date(c.time).toISOString() })),
      ),
    ...conflictHandlers(agent),
    ...firstRunHandlers(agent),
    ...keyHandlers(agent),
    ...historyHandlers(agent),
    ...settingsHandlers(agent),
  };
}
