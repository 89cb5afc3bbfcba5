// `coffer sync-now` with no agent running: the agent's own machinery, started in this process for one cycle of each folder, then stopped.
import type { FolderStatus } from '../../../preload/contract.js';
import { createLogger } from '../logger.js';
import { Agent } from '../runtime/agent.js';
import { agentStatus } from '../runtime/agentHandlers.js';

const PROGRESS_INTERVAL_MS = 5000;

/**
 * Runs one sync cycle of `folderId` (or of every folder) exactly as the agent would: the vault
 * unlocked from the environment (COFFER_PASSPHRASE, COFFER_KEY_FILE), the embedded store on free
 * ports for this process only, the same index, history and deletion guard. `progress` gets the
 * folders' status every few seconds. Resolves with each folder's status after its cycle; a folder
 * that could not run (locked vault, bad key) comes back in state 'error' with its reason. Throws
 * when `folderId` names no folder, or when the agent cannot start (no vault, a bad config).
 */
export async function syncOnce(dataDir: string, folderId: string | undefined, env: NodeJS.ProcessEnv, progress: (folders: FolderStatus[]) => void): Promise<FolderStatus[]> {
  const agent = await Agent.start({ dataDir, storePort: 0, storeHttpsPort: 0, env, logger: createLogger('warn') });
  const chosen = (folders: FolderStatus[]): FolderStatus[] => folders.filter((f) => folderId === undefined || f.id === folderId);
  const ticker = setInterval(() => progress(chosen(agentStatus(agent).folders)), PROGRESS_INTERVAL_MS);
  try {
    if (folderId !== undefined && !agent.folders.has(folderId)) throw new Error(`no folder with id ${folderId}`);
    const entries = [...agent.folders.values()].filter((e) => folderId === undefined || e.settings.id === folderId);
    await Promise.all(entries.map((entry) => entry.worker?.cycle()));
    return chosen(agentStatus(agent).folders);
  } finally {
    clearInterval(ticker);
    await agent.stop();
  }
}

/**
 * What `sync-now` reports after its cycles, the same with or without an agent. `failures`: folders
 * that could not sync (state 'error': a locked vault, a wrong key, an unreachable store), which fail
 * the command. `notes`: what the user chose or must decide (paused, deletions waiting for approval)
 * and files skipped this cycle, printed without failing it.
 */
export function syncReport(folders: readonly FolderStatus[]): { failures: string[]; notes: string[] } {
  const failures: string[] = [];
  const notes: string[] = [];
  for (const folder of folders) {
    const line = `${folder.localPath}: ${folder.state}${folder.reason ? `: ${folder.reason}` : ''}`;
    if (folder.state === 'error') failures.push(line);
    else if (folder.state === 'waiting-for-user' || folder.state === 'paused') notes.push(line);
    for (const error of folder.errors) notes.push(`${folder.localPath}/${error.path}: ${error.message}`);
  }
  return { failures, notes };
}
