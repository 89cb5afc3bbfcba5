// The Conflicts view against real conflicts: two agents on one embedded store, each answer given in the UI, the files checked on disk.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, ConflictInfo, RequestOf, ResponseOf } from '../../preload/contract.js';
import { callAgent } from '../../main/agent/control/controlClient.js';
import { createLogger } from '../../main/agent/logger.js';
import { Agent } from '../../main/agent/runtime/agent.js';
import { callSessionAgent } from './uiControl.js';
import { openUiSession, type UiSession } from './uiSession.js';

const PASSPHRASE = 'conflicts view test passphrase';

let root: string;
/** The other device: it hosts the store and edits first, so the conflicts are recorded on the UI's device. */
let laptop: Agent;
let laptopFolder: string;
let ui: UiSession;

function callLaptop<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const token = readFileSync(join(laptop.dataDir, 'agent.token'), 'utf8').trim();
  return callAgent({ apiUrl: laptop.apiUrl, token }, channel, request);
}

function put(folder: string, path: string, content: string): void {
  mkdirSync(dirname(join(folder, path)), { recursive: true });
  writeFileSync(join(folder, path), content);
}

const read = (folder: string, path: string): string => readFileSync(join(folder, path), 'utf8');

/** Both sync now and in a fixed order: the laptop's edits reach the store before the desktop's. */
async function syncBoth(): Promise<void> {
  await callLaptop('folders.syncNow', {});
  await callSessionAgent(ui, 'folders.syncNow', {});
  await callLaptop('folders.syncNow', {});
}

/** Files in the folder's local trash, by their path inside the day's folder. */
function trashed(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  const trash = join(folder, '.coffer-trash');
  if (!existsSync(trash)) return files;
  for (const day of readdirSync(trash)) {
    for (const entry of readdirSync(join(trash, day), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files.set(join(entry.parentPath, entry.name).slice(join(trash, day).length + 1), readFileSync(join(entry.parentPath, entry.name), 'utf8'));
    }
  }
  return files;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'coffer-ui-conflicts-laptop-'));
  const dataDir = join(root, 'data');
  laptopFolder = join(root, 'folder');
  mkdirSync(dataDir);
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ deviceName: 'laptop', watch: false, remotePollSeconds: 3600 }));
  laptop = await Agent.start({ dataDir, storePort: 0, storeHttpsPort: 0, apiPort: 0, env: {}, logger: createLogger('silent') });
  ui = await openUiSession('conflicts', { config: { deviceName: 'desktop', watch: false, remotePollSeconds: 3600 } });

  const { recoveryKey } = await callLaptop('vault.create', { passphrase: PASSPHRASE });
  await callSessionAgent(ui, 'vault.recover', { recoveryKey, passphrase: PASSPHRASE });
  await callLaptop('folders.add', { localPath: laptopFolder, bucket: 'shared' });
  await callSessionAgent(ui, 'folders.add', {
    localPath: ui.folder,
    bucket: 'shared',
    store: laptop.store!.running.httpsUrl!,
    pathStyle: true,
    caCertPem: readFileSync(join(dataDir, 'store', 'tls', 'cert.pem'), 'utf8'),
    accessKeyId: laptop.store!.credentials.accessKeyId,
    secretAccessKey: laptop.store!.credentials.secretAccessKey,
  });

  // Three files both devices edit, and one name that is a file on the laptop and a folder on the desktop.
  for (const name of ['mine.txt', 'theirs.txt', 'both.txt']) put(laptopFolder, name, 'the first version');
  await syncBoth();
  for (const name of ['mine.txt', 'theirs.txt', 'both.txt']) {
    put(laptopFolder, name, `laptop edit of ${name}`);
    put(ui.folder, name, `desktop edit of ${name}`);
  }
  put(laptopFolder, 'shape', 'a file on the laptop');
  put(ui.folder, 'shape/inside.txt', 'a folder on the desktop');
  await syncBoth();
});
afterAll(async () => {
  await ui?.close();
  await laptop?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('the Conflicts view', () => {
  it('lists real conflicts and resolves them with keep mine, keep theirs and keep both', async () => {
    const conflicts = await callSessionAgent(ui, 'conflicts.list', {});
    const byPath = new Map<string, ConflictInfo>(conflicts.map((c) => [c.path, c]));
    expect([...byPath.keys()].sort()).toEqual(['both.txt', 'mine.txt', 'shape', 'theirs.txt']);
    expect(byPath.get('shape')!.kind).toBe('type-change');

    const { page } = ui;
    await page.getByRole('link', { name: /^Conflicts/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Conflicts' }).waitFor();
    const item = (path: string) => page.getByRole('article', { name: path, exact: true });
    for (const path of byPath.keys()) await item(path).waitFor();
    await item('mine.txt').getByText(byPath.get('mine.txt')!.conflictPath, { exact: true }).waitFor();
    await item('mine.txt').getByText('Your copy replaces theirs at mine.txt.').waitFor();
    await ui.screenshot('listed');

    const mine = byPath.get('mine.txt')!;
    await item('mine.txt').getByRole('button', { name: 'Keep mine' }).click();
    await item('mine.txt').waitFor({ state: 'detached' });
    await page.getByText('mine.txt: kept your copy.').waitFor();
    expect(read(ui.folder, 'mine.txt')).toBe('desktop edit of mine.txt');
    expect(existsSync(join(ui.folder, mine.conflictPath))).toBe(false);
    await ui.screenshot('kept-mine');

    const theirs = byPath.get('theirs.txt')!;
    await item('theirs.txt').getByRole('button', { name: 'Keep theirs' }).click();
    await item('theirs.txt').waitFor({ state: 'detached' });
    expect(read(ui.folder, 'theirs.txt')).toBe('laptop edit of theirs.txt');
    expect(existsSync(join(ui.folder, theirs.conflictPath))).toBe(false);
    expect(trashed(ui.folder).get(theirs.conflictPath)).toBe('desktop edit of theirs.txt');

    const both = byPath.get('both.txt')!;
    await item('both.txt').getByRole('button', { name: 'Keep both' }).click();
    await item('both.txt').waitFor({ state: 'detached' });
    expect(read(ui.folder, 'both.txt')).toBe('laptop edit of both.txt');
    expect(read(ui.folder, both.conflictPath)).toBe('desktop edit of both.txt');

    // A file against a folder offers only keeping both.
    const shape = item('shape');
    expect(await shape.getByRole('button').allTextContents()).toEqual(['Keep both']);
    await ui.screenshot('type-change');
    await shape.getByRole('button', { name: 'Keep both' }).click();
    await page.getByText('No conflicts: every file agrees across your devices.').waitFor();
    expect(read(ui.folder, byPath.get('shape')!.conflictPath)).toBe('a file on the laptop');
    expect(read(ui.folder, 'shape/inside.txt')).toBe('a folder on the desktop');
    expect(await callSessionAgent(ui, 'conflicts.list', {})).toEqual([]);
    await ui.screenshot('resolved');

    // The answers travel: the laptop ends up with the same files.
    await syncBoth();
    expect(read(laptopFolder, 'mine.txt')).toBe('desktop edit of mine.txt');
    expect(existsSync(join(laptopFolder, mine.conflictPath))).toBe(false);
    expect(existsSync(join(laptopFolder, theirs.conflictPath))).toBe(false);
    expect(read(laptopFolder, both.conflictPath)).toBe('desktop edit of both.txt');
    expect(ui.pageErrors).toEqual([]);
  });
});
