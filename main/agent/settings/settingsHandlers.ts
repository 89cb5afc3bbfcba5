// The user's settings (bandwidth, idle lock, notifications, theme, desktop options) and each folder's ignore rules.
import type { ContractHandlers } from '../../../preload/contract.js';
import { ApiError } from '../control/apiError.js';
import type { Agent, FolderEntry } from '../runtime/agent.js';
import { ignoreRulesOf, readIgnoreText, writeIgnoreText } from './ignoreFile.js';
import { saveSettings, settingsOf } from './settingsFile.js';

type SettingsChannels = 'settings.get' | 'settings.set' | 'folders.getIgnore' | 'folders.setIgnore';

function folderOf(agent: Agent, folderId: string): FolderEntry {
  const entry = agent.folders.get(folderId);
  if (!entry) throw new ApiError('NoSuchFolder', `no folder with id ${folderId}`);
  return entry;
}

/**
 * settings.set saves into config.json first (the one source of truth, read again at each start)
 * and only then puts the settings in force, so a refused or failed write changes nothing.
 * folders.setIgnore starts a cycle without waiting for it; the worker re-reads the file before
 * every cycle, so that one already honours the new rules.
 */
export function settingsHandlers(agent: Agent): Pick<ContractHandlers, SettingsChannels> {
  return {
    'settings.get': async () => settingsOf(agent.config),
    'settings.set': async (change) => {
      agent.applySettings(settingsOf(saveSettings(agent.dataDir, change)));
      return settingsOf(agent.config);
    },
    'folders.getIgnore': async ({ folderId }) => ignoreRulesOf(await readIgnoreText(folderOf(agent, folderId).settings.localPath)),
    'folders.setIgnore': async ({ folderId, text }) => {
      const entry = folderOf(agent, folderId);
      writeIgnoreText(entry.settings.localPath, text);
      entry.worker?.cycle().catch((err: unknown) => agent.logger.warn({ folder: entry.settings.localPath, reason: (err as Error).message }, 'sync after an ignore change failed'));
      return ignoreRulesOf(text);
    },
  };
}
