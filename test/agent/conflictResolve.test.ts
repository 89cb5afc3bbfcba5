// Resolving real conflicts through the control API: two agents on one embedded store, keep mine, theirs or both, and the refusals.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, ConflictInfo, RequestOf, ResponseOf } from '../../preload/contract.js';
import { AgentCallError, callAgent } from '../../main/agent/control/controlClient.js';
import { createLogger } from '../../main/agent/logger.js';
import { Agent } from '../../main/agent/runtime/agent.js';

const PASSPHRASE = 'conflict test passphrase';

interface Device {
  name: string;
  agent: Agent;
  folder: string;
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
}

let root: string;
let laptop: Device;
let desktop: Device;

async function startDevice(name: string): Promise<Device> {
  const dataDir = join(root, name, 'data');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ deviceName: name, watch: false, remotePollSeconds: 3600 }));
  const agent = await Agent.start({ dataDir, storePort: 0, storeHttpsPort: 0, apiPort: 0, env: {}, logger: createLogger('silent') });
  const token = readFileSync(join(dataDir, 'agent.token'), 'utf8').trim();
  return { name, agent, folder: join(root, name, 'folder'), call: (channel, request) => callAgent({ apiUrl: agent.apiUrl, token }, channel, request) };
}

/** The laptop hosts the store; the desktop (the same user, its vault from the recovery key) reaches it over HTTPS. */
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'coffer-conflicts-'));
  laptop = await startDevice('laptop');
  desktop = await startDevice('desktop');
  const { recoveryKey } = await laptop.call('vault.create', { passphrase: PASSPHRASE });
  await desktop.call('vault.recover', { recoveryKey, passphrase: PASSPHRASE });
  await laptop.call('folders.add', { localPath: laptop.folder, bucket: 'shared' });
  const store = laptop.agent.store!;
  await desktop.call('folders.add', {
    localPath: desktop.folder,
    bucket: 'shared',
    store: store.running.httpsUrl!,
    pathStyle: true,
    caCertPem: readFileSync(join(laptop.agent.dataDir, 'store', 'tls', 'cert.pem'), 'utf8'),
    accessKeyId: store.credentials.accessKeyId,
    secretAccessKey: store.credentials.secretAccessKey,
  });
});
afterAll(async () => {
  await desktop?.agent.stop();
  await laptop?.agent.stop();
  rmSync(root, { recursive: true, force: true });
});

function put(device: Device, path: string, content: string): void {
  const file = join(device.folder, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

const read = (device: Device, path: string): string => readFileSync(join(device.folder, path), 'utf8');
const present = (device: Device, path: string): boolean => existsSync(join(device.folder, path));

async function syncBoth(): Promise<void> {
  await laptop.call('folders.syncNow', {});
  await desktop.call('folders.syncNow', {});
  await laptop.call('folders.syncNow', {});
}

/**
 * Both devices edit `path`; the laptop syncs first, so the desktop records the conflict: its path
 * takes the laptop's bytes (theirs) and its own edit (mine) moves to the conflict copy, which
 * reaches the laptop too.
 */
async function makeConflict(path: string): Promise<ConflictInfo> {
  put(laptop, path, 'the first version');
  await syncBoth();
  put(laptop, path, `laptop edit of ${path}`);
  put(desktop, path, `desktop edit of ${path}, a longer one`);
  await syncBoth();
  const conflict = (await desktop.call('conflicts.list', {})).find((c) => c.path === path)!;
  expect(conflict).toMatchObject({ kind: 'both-changed', conflictPath: expect.stringMatching(/ \(conflict .* on desktop\)\.txt$/) });
  expect(read(desktop, path)).toBe(`laptop edit of ${path}`);
  expect(read(desktop, conflict.conflictPath)).toBe(`desktop edit of ${path}, a longer one`);
  expect(read(laptop, conflict.conflictPath)).toBe(`desktop edit of ${path}, a longer one`);
  return conflict;
}

async function refusal<C extends Channel>(device: Device, channel: C, request: RequestOf<C>): Promise<AgentCallError> {
  const err = await device.call(channel, request).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `${channel} should have been refused`).toBeInstanceOf(AgentCallError);
  return err as AgentCallError;
}

async function resolveEvents(device: Device): Promise<{ principal?: string; objectKey?: string; details?: Record<string, unknown> }[]> {
  await device.agent.auditLog.flush();
  return device.agent.auditLog.query({ category: 'sync', operations: ['ResolveConflict'] }, { limit: 100 }).events.map((r) => r.event);
}

async function eventFor(device: Device, conflictId: number): Promise<{ principal?: string; objectKey?: string; details?: Record<string, unknown> }[]> {
  return (await resolveEvents(device)).filter((e) => e.details?.conflictId === conflictId);
}

/** Files in the device's local trash (any day), by path inside the day's folder. */
function trashed(device: Device): Map<string, string> {
  const files = new Map<string, string>();
  const trash = join(device.folder, '.coffer-trash');
  if (!existsSync(trash)) return files;
  for (const day of readdirSync(trash)) {
    for (const entry of readdirSync(join(trash, day), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const full = join(entry.parentPath, entry.name);
      files.set(full.slice(join(trash, day).length + 1), readFileSync(full, 'utf8'));
    }
  }
  return files;
}

describe('conflicts.resolve', () => {
  it('keep mine: my copy takes the path on both devices and the conflict copy is gone everywhere', async () => {
    const conflict = await makeConflict('mine.txt');
    expect(await desktop.call('conflicts.resolve', { id: conflict.id, keep: 'mine' })).toBeNull();
    expect(read(desktop, 'mine.txt')).toBe('desktop edit of mine.txt, a longer one');
    expect(present(desktop, conflict.conflictPath)).toBe(false);
    await syncBoth();
    for (const device of [desktop, laptop]) {
      expect(read(device, 'mine.txt'), device.name).toBe('desktop edit of mine.txt, a longer one');
      expect(present(device, conflict.conflictPath), device.name).toBe(false);
    }
    expect((await desktop.call('conflicts.list', {})).map((c) => c.id)).not.toContain(conflict.id);
    expect(await eventFor(desktop, conflict.id)).toEqual([
      expect.objectContaining({ principal: 'desktop', objectKey: 'mine.txt', details: expect.objectContaining({ keep: 'mine', conflictPath: conflict.conflictPath }) }),
    ]);
  });

  it('keep theirs: the conflict copy leaves both devices for their trash and the path keeps their bytes', async () => {
    const conflict = await makeConflict('theirs.txt');
    await desktop.call('conflicts.resolve', { id: conflict.id, keep: 'theirs' });
    expect(present(desktop, conflict.conflictPath)).toBe(false);
    await syncBoth();
    for (const device of [desktop, laptop]) {
      expect(read(device, 'theirs.txt'), device.name).toBe('laptop edit of theirs.txt');
      expect(present(device, conflict.conflictPath), device.name).toBe(false);
      expect(trashed(device).get(conflict.conflictPath), device.name).toBe('desktop edit of theirs.txt, a longer one');
    }
    expect((await desktop.call('conflicts.list', {})).map((c) => c.id)).not.toContain(conflict.id);
    expect(await eventFor(desktop, conflict.id)).toEqual([expect.objectContaining({ principal: 'desktop', details: expect.objectContaining({ keep: 'theirs' }) })]);
  });

  it('keep both: nothing moves, the conflict leaves the list, and a second answer finds no conflict', async () => {
    const conflict = await makeConflict('both.txt');
    await desktop.call('conflicts.resolve', { id: conflict.id, keep: 'both' });
    await syncBoth();
    for (const device of [desktop, laptop]) {
      expect(read(device, 'both.txt'), device.name).toBe('laptop edit of both.txt');
      expect(read(device, conflict.conflictPath), device.name).toBe('desktop edit of both.txt, a longer one');
    }
    expect((await desktop.call('conflicts.list', {})).map((c) => c.id)).not.toContain(conflict.id);
    expect(await eventFor(desktop, conflict.id)).toEqual([expect.objectContaining({ details: expect.objectContaining({ keep: 'both', kind: 'both-changed' }) })]);
    expect((await refusal(desktop, 'conflicts.resolve', { id: conflict.id, keep: 'mine' })).code).toBe('NoSuchConflict');
    expect((await refusal(desktop, 'conflicts.resolve', { id: 999_999, keep: 'both' })).code).toBe('NoSuchConflict');
    // The laptop has the copy but not the conflict: it was the desktop's.
    expect((await refusal(laptop, 'conflicts.resolve', { id: conflict.id, keep: 'both' })).code).toBe('NoSuchConflict');
    expect(read(desktop, conflict.conflictPath)).toBe('desktop edit of both.txt, a longer one');
    expect(await eventFor(desktop, conflict.id)).toHaveLength(1);
  });

  it('keep mine refuses, changing nothing, when the copy or the path changed since the last sync, or the copy is gone', async () => {
    const conflict = await makeConflict('guarded.txt');
    const copy = conflict.conflictPath;
    put(desktop, copy, 'edited after the conflict and not synced yet');
    const changed = await refusal(desktop, 'conflicts.resolve', { id: conflict.id, keep: 'mine' });
    expect(changed).toMatchObject({ code: 'ConflictCopyChanged', message: expect.stringContaining(copy) });
    expect(read(desktop, 'guarded.txt')).toBe('laptop edit of guarded.txt');
    expect(read(desktop, copy)).toBe('edited after the conflict and not synced yet');

    await syncBoth();
    put(desktop, 'guarded.txt', 'an unsynced edit of their version');
    expect((await refusal(desktop, 'conflicts.resolve', { id: conflict.id, keep: 'mine' })).code).toBe('PathChanged');
    expect(read(desktop, 'guarded.txt')).toBe('an unsynced edit of their version');
    expect(read(desktop, copy)).toBe('edited after the conflict and not synced yet');

    await syncBoth();
    rmSync(join(desktop.folder, copy));
    const gone = await refusal(desktop, 'conflicts.resolve', { id: conflict.id, keep: 'mine' });
    expect(gone).toMatchObject({ code: 'ConflictCopyMissing', message: expect.stringContaining('gone') });
    expect(read(desktop, 'guarded.txt')).toBe('an unsynced edit of their version');
    expect((await desktop.call('conflicts.list', {})).map((c) => c.id)).toContain(conflict.id);
    expect(await eventFor(desktop, conflict.id)).toEqual([]);

    // With the copy gone, keeping theirs is what is left, and it goes through.
    await desktop.call('conflicts.resolve', { id: conflict.id, keep: 'theirs' });
    expect((await desktop.call('conflicts.list', {})).map((c) => c.id)).not.toContain(conflict.id);
  });

  it('a file against a folder can only keep both', async () => {
    put(laptop, 'shape', 'a file on the laptop');
    put(desktop, 'shape/inside.txt', 'a folder on the desktop');
    await syncBoth();
    const conflict = (await desktop.call('conflicts.list', {})).find((c) => c.path === 'shape')!;
    expect(conflict).toMatchObject({ kind: 'type-change' });
    for (const keep of ['mine', 'theirs'] as const) {
      const refused = await refusal(desktop, 'conflicts.resolve', { id: conflict.id, keep });
      expect(refused).toMatchObject({ code: 'ChoiceNotAvailable', message: expect.stringContaining('keeping both') });
    }
    expect(read(desktop, conflict.conflictPath)).toBe('a file on the laptop');
    expect(read(desktop, 'shape/inside.txt')).toBe('a folder on the desktop');
    await desktop.call('conflicts.resolve', { id: conflict.id, keep: 'both' });
    await syncBoth();
    for (const device of [desktop, laptop]) {
      expect(read(device, conflict.conflictPath), device.name).toBe('a file on the laptop');
      expect(read(device, 'shape/inside.txt'), device.name).toBe('a folder on the desktop');
    }
    expect(await eventFor(desktop, conflict.id)).toEqual([expect.objectContaining({ details: expect.objectContaining({ keep: 'both', kind: 'type-change' }) })]);
  });
});
