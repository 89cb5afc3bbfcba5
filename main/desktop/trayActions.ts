// What each tray menu item does, given the window, the agent's handlers and the OS; no Electron import.
import type { ContractHandlers } from '../../preload/contract.js';
import type { TrayAction } from './trayModel.js';

export interface TrayActionDeps {
  handlers: Pick<ContractHandlers, 'folders.pause' | 'folders.resume' | 'folders.syncNow' | 'vault.lock'>;
  /** Shows the window, at a view of the UI when `hash` is given. */
  showWindow: (hash?: string) => void;
  /** Opens a local folder in the OS file manager. */
  openFolder: (localPath: string) => Promise<unknown>;
  quit: () => void;
  /** After an agent call succeeded: refresh the status (the tray and notifications follow it). */
  refresh: () => Promise<void>;
  /** An agent call or the file manager failed: `what` names the action. */
  onFailure: (what: string, err: unknown) => void;
}

/** Runs one tray action. Agent calls run in the background; the returned promise settles when they have (it never rejects). */
export function runTrayAction(action: TrayAction, deps: TrayActionDeps): Promise<void> {
  const agentCall = (what: string, call: Promise<unknown>): Promise<void> =>
    call.then(
      () => deps.refresh(),
      (err: unknown) => deps.onFailure(what, err),
    );
  switch (action.type) {
    case 'open':
      deps.showWindow();
      return Promise.resolve();
    case 'open-keys':
      deps.showWindow('#/keys');
      return Promise.resolve();
    case 'pause-all':
      return agentCall('pause every folder', deps.handlers['folders.pause']({}));
    case 'resume-all':
      return agentCall('resume every folder', deps.handlers['folders.resume']({}));
    case 'sync-now':
      return agentCall('sync now', deps.handlers['folders.syncNow']({}));
    case 'lock-vault':
      return agentCall('lock the vault', deps.handlers['vault.lock']({}));
    case 'open-folder':
      return deps.openFolder(action.localPath).then(
        () => undefined,
        (err: unknown) => deps.onFailure(`open ${action.localPath}`, err),
      );
    case 'quit':
      deps.quit();
      return Promise.resolve();
  }
}
