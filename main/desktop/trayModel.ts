// The tray menu as data, decided from the agent's status alone; the binder turns it into Electron's Menu.
import type { MenuItemConstructorOptions } from 'electron';
import type { AgentStatus, FolderStatus } from '../../preload/contract.js';
import { folderName } from './folderName.js';

export type TrayAction =
  | { type: 'open' }
  | { type: 'open-keys' }
  | { type: 'pause-all' }
  | { type: 'resume-all' }
  | { type: 'sync-now' }
  | { type: 'lock-vault' }
  | { type: 'open-folder'; folderId: string; localPath: string }
  | { type: 'quit' };

export type TrayItem =
  | { kind: 'action'; label: string; action: TrayAction; enabled: boolean }
  | { kind: 'info'; label: string }
  | { kind: 'separator' }
  | { kind: 'submenu'; label: string; enabled: boolean; items: TrayItem[] };

export interface TrayModel {
  tooltip: string;
  items: TrayItem[];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function needsAttention(folder: FolderStatus): boolean {
  return folder.state === 'error' || folder.state === 'waiting-for-user';
}

/**
 * One line for the whole app, the most pressing first: starting; no vault; folders that need the
 * user (error, or deletions waiting for approval); work under way (re-keying, syncing, scanning);
 * conflicts; all paused; no folders; up to date. A locked vault is said first.
 */
export function syncStatusLine(status: AgentStatus | undefined): string {
  if (!status) return 'Starting…';
  if (!status.vault.exists) return 'No vault yet: open Coffer to create one';
  const folders = status.folders;
  const line = ((): string => {
    const attention = folders.filter(needsAttention).length;
    if (attention > 0) return `${plural(attention, 'folder')} ${attention === 1 ? 'needs' : 'need'} attention`;
    const job = folders.find((f) => f.job);
    if (job?.job) return `${job.job.kind === 'rekey' ? 'Re-keying' : 'Re-encrypting'} ${folderName(job.localPath)} (${job.job.done} of ${job.job.total})`;
    const pending = folders.reduce((sum, f) => sum + (f.state === 'paused' ? 0 : f.pendingUp + f.pendingDown), 0);
    if (folders.some((f) => f.state === 'syncing') || pending > 0) return pending > 0 ? `Syncing ${plural(pending, 'file')}` : 'Syncing';
    if (folders.some((f) => f.state === 'scanning')) return 'Scanning for changes';
    const conflicts = folders.reduce((sum, f) => sum + f.unresolvedConflicts, 0);
    if (conflicts > 0) return `${plural(conflicts, 'conflict')} to resolve`;
    if (folders.length === 0) return 'No folders yet';
    if (folders.every((f) => f.state === 'paused')) return 'Paused';
    return 'Up to date';
  })();
  return status.vault.unlocked ? line : `Vault locked · ${line}`;
}

/**
 * The tray menu for `status` (undefined while the agent starts: only Open and Quit work).
 * Pause all shows while any folder runs, Resume all once every folder is paused; Sync now needs a
 * folder that is not paused; Rotate keys… (it opens the key view) and Lock vault need an unlocked
 * vault; Open folder lists every folder, by name.
 */
export function trayModel(status: AgentStatus | undefined): TrayModel {
  const folders = status?.folders ?? [];
  const running = folders.filter((f) => f.state !== 'paused');
  const unlocked = status?.vault.unlocked ?? false;
  const pauseOrResume: TrayItem =
    folders.length > 0 && running.length === 0
      ? { kind: 'action', label: 'Resume all', action: { type: 'resume-all' }, enabled: true }
      : { kind: 'action', label: 'Pause all', action: { type: 'pause-all' }, enabled: running.length > 0 };
  const line = syncStatusLine(status);
  return {
    tooltip: `Coffer: ${line}`,
    items: [
      { kind: 'action', label: 'Open Coffer', action: { type: 'open' }, enabled: true },
      { kind: 'separator' },
      { kind: 'info', label: line },
      { kind: 'separator' },
      pauseOrResume,
      { kind: 'action', label: 'Sync now', action: { type: 'sync-now' }, enabled: running.length > 0 },
      { kind: 'action', label: 'Rotate keys…', action: { type: 'open-keys' }, enabled: unlocked },
      { kind: 'action', label: 'Lock vault', action: { type: 'lock-vault' }, enabled: unlocked },
      {
        kind: 'submenu',
        label: 'Open folder',
        enabled: folders.length > 0,
        items: folders.map((f) => ({ kind: 'action', label: folderName(f.localPath), action: { type: 'open-folder', folderId: f.id, localPath: f.localPath }, enabled: true })),
      },
      { kind: 'separator' },
      { kind: 'action', label: 'Quit Coffer', action: { type: 'quit' }, enabled: true },
    ],
  };
}

/** Electron's menu template for `items`; a click runs `act` with the item's action. */
export function menuTemplate(items: readonly TrayItem[], act: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'info':
        return { label: item.label, enabled: false };
      case 'submenu':
        return { label: item.label, enabled: item.enabled, submenu: menuTemplate(item.items, act) };
      case 'action':
        return { label: item.label, enabled: item.enabled, click: () => act(item.action) };
    }
  });
}
