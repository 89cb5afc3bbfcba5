// What `coffer status` shows when no agent runs: the folders from the vault and their last recorded state.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AgentStatus, FolderStatus } from '../../../preload/contract.js';
import { openVault, vaultPath } from '../../core/keys/vault/index.js';
import { INDEX_FILE, LocalIndex } from '../../core/sync/index/localIndex.js';
import { settingsOfRecord } from '../runtime/folderRecords.js';

export function offlineStatus(dataDir: string): AgentStatus {
  const dir = resolve(dataDir);
  if (!existsSync(vaultPath(dir))) return { vault: { exists: false, unlocked: false }, folders: [] };
  const vault = openVault(dir);
  const index = existsSync(join(dir, INDEX_FILE)) ? LocalIndex.open(dir) : undefined;
  try {
    const folders = vault.folders.list().map((record): FolderStatus => {
      const settings = settingsOfRecord(record);
      const state = index?.folderState(settings.id);
      return {
        id: settings.id,
        localPath: settings.localPath,
        state: settings.paused ? 'paused' : state?.lastError ? 'error' : 'idle',
        reason: settings.paused ? 'paused by the user' : (state?.lastError ?? 'the agent is not running'),
        store: settings.store.kind === 'embedded' ? 'embedded' : settings.store.endpoint,
        bucket: settings.bucket,
        prefix: settings.prefix,
        mode: settings.mode,
        ...(settings.kmsKeyId ? { kmsKeyId: settings.kmsKeyId } : {}),
        pendingUp: 0,
        pendingDown: 0,
        bytesDone: 0,
        bytesTotal: 0,
        rate: 0,
        lastSyncAt: state?.lastSyncAt ? new Date(state.lastSyncAt).toISOString() : undefined,
        errors: [],
        unresolvedConflicts: index?.conflicts(settings.id).length ?? 0,
        watchMode: 'off',
        ...(settings.pendingMode ? { pendingMode: settings.pendingMode.mode } : {}),
      };
    });
    return { vault: { exists: true, unlocked: false }, folders };
  } finally {
    index?.close();
    vault.close();
  }
}
