// Agent status snapshots for the tray and notification tests, built from a plain idle folder.
import type { AgentStatus, FolderStatus } from '../../preload/contract.js';

export function folder(id: string, localPath: string, overrides: Partial<FolderStatus> = {}): FolderStatus {
  return {
    id,
    localPath,
    state: 'idle',
    store: 'embedded',
    bucket: 'coffer',
    prefix: '',
    mode: 'sse-c-vault',
    pendingUp: 0,
    pendingDown: 0,
    bytesDone: 0,
    bytesTotal: 0,
    rate: 0,
    errors: [],
    unresolvedConflicts: 0,
    watchMode: 'native',
    ...overrides,
  };
}

export function status(folders: FolderStatus[], vault: AgentStatus['vault'] = { exists: true, unlocked: true }): AgentStatus {
  return { vault, folders };
}
