// The tray menu follows the agent's status: pause or resume, sync now, the vault's lock, the folders.
import { describe, expect, it } from 'vitest';
import { menuTemplate, syncStatusLine, trayModel, type TrayAction, type TrayItem } from '../../main/desktop/trayModel.js';
import { folder, status } from './statusFixtures.js';

function item(items: TrayItem[], label: string): TrayItem {
  const found = items.find((i) => i.kind !== 'separator' && i.label === label);
  if (!found) throw new Error(`no menu item ${label} in ${items.map((i) => ('label' in i ? i.label : '—')).join(', ')}`);
  return found;
}
const enabled = (i: TrayItem): boolean => i.kind === 'action' || i.kind === 'submenu' ? i.enabled : false;
const labels = (items: TrayItem[]): string[] => items.map((i) => (i.kind === 'separator' ? '—' : i.label));

const docs = folder('f-docs-0001', '/home/ana/Documents');
const photos = folder('f-photos-001', '/home/ana/Pictures/Photos/');

describe('the tray menu', () => {
  it('has the same items in the same order whatever the status', () => {
    const expected = ['Open Coffer', '—', 'Up to date', '—', 'Pause all', 'Sync now', 'Rotate keys…', 'Lock vault', 'Open folder', '—', 'Quit Coffer'];
    expect(labels(trayModel(status([docs])).items)).toEqual(expected);
  });

  it('offers Pause all while any folder runs, and Resume all once all are paused', () => {
    const running = trayModel(status([docs, folder('f-photos-001', '/p', { state: 'paused' })]));
    expect(item(running.items, 'Pause all')).toMatchObject({ action: { type: 'pause-all' }, enabled: true });
    expect(enabled(item(running.items, 'Sync now'))).toBe(true);

    const paused = trayModel(status([folder('a-000001', '/a', { state: 'paused' }), folder('b-000001', '/b', { state: 'paused' })]));
    expect(item(paused.items, 'Resume all')).toMatchObject({ action: { type: 'resume-all' }, enabled: true });
    expect(() => item(paused.items, 'Pause all')).toThrow();
    expect(enabled(item(paused.items, 'Sync now'))).toBe(false);
    expect(item(paused.items, 'Paused')).toEqual({ kind: 'info', label: 'Paused' });
  });

  it('lists every folder by name under Open folder', () => {
    const model = trayModel(status([docs, photos]));
    const submenu = item(model.items, 'Open folder');
    expect(submenu).toMatchObject({ kind: 'submenu', enabled: true });
    expect(submenu.kind === 'submenu' && submenu.items).toEqual([
      { kind: 'action', label: 'Documents', action: { type: 'open-folder', folderId: 'f-docs-0001', localPath: '/home/ana/Documents' }, enabled: true },
      { kind: 'action', label: 'Photos', action: { type: 'open-folder', folderId: 'f-photos-001', localPath: '/home/ana/Pictures/Photos/' }, enabled: true },
    ]);
  });

  it('disables the vault actions while the vault is locked, and says it is locked', () => {
    const model = trayModel(status([docs], { exists: true, unlocked: false }));
    expect(enabled(item(model.items, 'Rotate keys…'))).toBe(false);
    expect(enabled(item(model.items, 'Lock vault'))).toBe(false);
    expect(model.tooltip).toBe('Coffer: Vault locked · Up to date');
    const unlocked = trayModel(status([docs]));
    expect(item(unlocked.items, 'Rotate keys…')).toMatchObject({ action: { type: 'open-keys' }, enabled: true });
    expect(item(unlocked.items, 'Lock vault')).toMatchObject({ action: { type: 'lock-vault' }, enabled: true });
  });

  it('while the agent starts, only opens the window and quits', () => {
    const model = trayModel(undefined);
    const actionable = model.items.filter((i) => enabled(i)).map((i) => ('label' in i ? i.label : ''));
    expect(actionable).toEqual(['Open Coffer', 'Quit Coffer']);
    expect(model.tooltip).toBe('Coffer: Starting…');
  });
});

describe('the status line', () => {
  it('names the most pressing state', () => {
    expect(syncStatusLine(status([], { exists: false, unlocked: false }))).toBe('No vault yet: open Coffer to create one');
    expect(syncStatusLine(status([]))).toBe('No folders yet');
    expect(syncStatusLine(status([docs]))).toBe('Up to date');
    expect(syncStatusLine(status([docs, folder('x-000001', '/x', { state: 'error', reason: 'root missing' })]))).toBe('1 folder needs attention');
    expect(syncStatusLine(status([folder('x-000001', '/x', { state: 'waiting-for-user' }), folder('y-000001', '/y', { state: 'error' })]))).toBe('2 folders need attention');
    expect(syncStatusLine(status([folder('x-000001', '/x', { state: 'syncing', pendingUp: 3, pendingDown: 1 })]))).toBe('Syncing 4 files');
    expect(syncStatusLine(status([folder('x-000001', '/x', { state: 'scanning' })]))).toBe('Scanning for changes');
    expect(syncStatusLine(status([folder('x-000001', '/home/ana/Work', { state: 'syncing', job: { kind: 'rekey', done: 5, total: 9 } })]))).toBe('Re-keying Work (5 of 9)');
    expect(syncStatusLine(status([folder('x-000001', '/x', { unresolvedConflicts: 2 })]))).toBe('2 conflicts to resolve');
  });
});

describe('the Electron menu template', () => {
  it('maps items to labels, separators, disabled info lines and submenus, and clicks to actions', () => {
    const clicked: TrayAction[] = [];
    const template = menuTemplate(trayModel(status([docs])).items, (action) => clicked.push(action));
    expect(template[1]).toEqual({ type: 'separator' });
    expect(template[2]).toEqual({ label: 'Up to date', enabled: false });
    const open = template[0]!;
    (open.click as () => void)();
    const submenu = template.find((t) => t.label === 'Open folder')!.submenu as { click: () => void }[];
    submenu[0]!.click();
    expect(clicked).toEqual([{ type: 'open' }, { type: 'open-folder', folderId: 'f-docs-0001', localPath: '/home/ana/Documents' }]);
  });
});
