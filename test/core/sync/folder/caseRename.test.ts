// A file renamed by case and edited on a case-insensitive folder, through the real embedded store: one key on the store, no twins anywhere.
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStoreFixture, type StoreFixture } from '../../../support/storeFixture.js';
import { openSyncDevice, type SyncDevice } from '../../../support/syncDevice.js';

let fixture: StoreFixture;
let devices: SyncDevice[] = [];
let bucketCounter = 0;

beforeAll(async () => {
  fixture = await startStoreFixture();
});
afterAll(async () => {
  await fixture.close();
});
afterEach(async () => {
  for (const d of devices) await d.close();
  devices = [];
});

/** Two devices on one new bucket; the laptop's folder ignores case, the desktop's as asked. */
async function pair(desktopIgnoresCase = true): Promise<[SyncDevice, SyncDevice]> {
  const bucket = `case-rename-${++bucketCounter}`;
  const a = await openSyncDevice(fixture, { name: 'laptop', bucket, caseInsensitive: true });
  const b = await openSyncDevice(fixture, { name: 'desktop', bucket, caseInsensitive: desktopIgnoresCase });
  devices.push(a, b);
  return [a, b];
}

function write(device: SyncDevice, path: string, content: string): void {
  writeFileSync(join(device.root, path), content);
}

function read(device: SyncDevice, path: string): string {
  return readFileSync(join(device.root, path), 'utf8');
}

/** The folder's own entries, Coffer's local trash left out. */
function namesIn(device: SyncDevice): string[] {
  return readdirSync(device.root)
    .filter((name) => name !== '.coffer-trash')
    .sort();
}

async function remoteKeys(bucket: string): Promise<string[]> {
  const out = await fixture.https.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

async function remoteText(bucket: string, key: string): Promise<string> {
  const out = await fixture.https.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToString();
}

function basePaths(device: SyncDevice): string[] {
  return device.index.baseEntries(device.settings.id).map((b) => b.path);
}

/** Both devices synced on `Readme.md`. */
async function syncedOnReadme(desktopIgnoresCase = true): Promise<[SyncDevice, SyncDevice]> {
  const [a, b] = await pair(desktopIgnoresCase);
  write(a, 'Readme.md', 'first words');
  await a.cycle();
  await b.cycle();
  expect(read(b, 'Readme.md')).toBe('first words');
  return [a, b];
}

function renameAndEdit(device: SyncDevice, content: string): void {
  renameSync(join(device.root, 'Readme.md'), join(device.root, 'README.md'));
  write(device, 'README.md', content);
}

describe('a file renamed by case and edited, on a case-insensitive folder', () => {
  it.each([
    ['ignores case', true],
    ['keeps case', false],
  ])('leaves one key on the store (the old one in the trash); a desktop that %s follows without a twin', async (_desktop, desktopIgnoresCase) => {
    const [a, b] = await syncedOnReadme(desktopIgnoresCase);
    const bucket = a.settings.bucket;
    renameAndEdit(a, 'second words, new name');

    const uploaded = await a.cycle();
    expect(uploaded?.actions).toEqual([{ type: 'upload', path: 'README.md', reason: 'changed', replacesKey: 'Readme.md', replacesBase: 'Readme.md' }]);
    expect(uploaded?.skipped).toEqual([]);
    const keys = await remoteKeys(bucket);
    const trashed = keys.filter((k) => k.startsWith('.coffer-trash/'));
    expect(keys.filter((k) => !trashed.includes(k))).toEqual(['README.md']);
    expect(trashed).toHaveLength(1);
    expect(trashed[0]).toMatch(/^\.coffer-trash\/\d{4}-\d{2}-\d{2}\/Readme\.md$/);
    expect(await remoteText(bucket, trashed[0]!)).toBe('first words');
    expect(await remoteText(bucket, 'README.md')).toBe('second words, new name');
    expect(basePaths(a)).toEqual(['README.md']);
    const deletion = a.events.find((e) => e.operation === 'SyncDeleteRemote');
    expect(deletion).toMatchObject({ objectKey: 'Readme.md', details: { trashKey: trashed[0], replacedBy: 'README.md' } });

    const followed = await b.cycle();
    expect(followed?.skipped).toEqual([]);
    expect(namesIn(b)).toEqual(['README.md']);
    expect(read(b, 'README.md')).toBe('second words, new name');
    expect(basePaths(b)).toEqual(['README.md']);

    expect((await a.cycle())?.actions).toEqual([]);
    expect((await b.cycle())?.actions).toEqual([]);
    expect(a.sync.errors).toEqual([]);
    expect(b.sync.errors).toEqual([]);
    expect(namesIn(a)).toEqual(['README.md']);
  });

  it('loses neither edit when the other device edited the old name first: the old key keeps its version and the rename gives way', async () => {
    const [a, b] = await syncedOnReadme();
    const bucket = a.settings.bucket;
    write(b, 'Readme.md', 'edited on the desktop');
    await b.cycle();
    renameAndEdit(a, 'edited and renamed on the laptop');

    const resolved = await a.cycle();
    expect(resolved?.skipped).toEqual([]);
    expect(namesIn(a)).toEqual([expect.stringMatching(/^README \(conflict .* on laptop\)\.md$/), 'Readme.md']);
    const conflictCopy = namesIn(a)[0]!;
    const conflicts = a.events.filter((e) => e.operation === 'SyncConflict');
    expect(conflicts).toMatchObject([{ objectKey: 'Readme.md', details: { kind: 'both-changed', conflictPath: conflictCopy } }]);
    expect(read(a, 'Readme.md')).toBe('edited on the desktop');
    expect(read(a, conflictCopy)).toBe('edited and renamed on the laptop');
    // The conflict copy goes up in the cycle the conflict triggers; nothing went to the trash.
    expect(await remoteKeys(bucket)).toEqual([conflictCopy, 'Readme.md']);
    expect(await remoteText(bucket, 'Readme.md')).toBe('edited on the desktop');
    expect(a.events.filter((e) => e.operation === 'SyncDeleteRemote')).toEqual([]);
    expect(basePaths(a)).toEqual([conflictCopy, 'Readme.md']);

    expect((await b.cycle())?.skipped).toEqual([]);
    expect(namesIn(b)).toEqual([conflictCopy, 'Readme.md']);
    expect(read(b, conflictCopy)).toBe('edited and renamed on the laptop');
    expect((await a.cycle())?.actions).toEqual([]);
    expect((await b.cycle())?.actions).toEqual([]);
  });

  it('loses neither edit when the other device edits the old name after the rename reached the store: both settle under the new key', async () => {
    const [a, b] = await syncedOnReadme();
    const bucket = a.settings.bucket;
    renameAndEdit(a, 'edited and renamed on the laptop');
    await a.cycle();
    write(b, 'Readme.md', 'edited on the desktop');

    // The request returns the last of its cycles: the one the conflict triggers, which uploads the copy.
    const resolved = await b.cycle();
    expect(resolved?.skipped).toEqual([]);
    expect(namesIn(b)).toEqual(['README.md', expect.stringMatching(/^Readme \(conflict .* on desktop\)\.md$/)]);
    const conflictCopy = namesIn(b)[1]!;
    expect(resolved?.actions).toEqual([{ type: 'upload', path: conflictCopy, reason: 'new' }]);
    const conflicts = b.events.filter((e) => e.operation === 'SyncConflict');
    expect(conflicts).toMatchObject([{ objectKey: 'README.md', details: { kind: 'both-changed', conflictPath: conflictCopy } }]);
    expect(read(b, 'README.md')).toBe('edited and renamed on the laptop');
    expect(read(b, conflictCopy)).toBe('edited on the desktop');
    expect(basePaths(b)).toEqual(['README.md', conflictCopy]);
    expect((await remoteKeys(bucket)).filter((k) => !k.startsWith('.coffer-trash/'))).toEqual(['README.md', conflictCopy]);

    expect((await a.cycle())?.skipped).toEqual([]);
    expect(namesIn(a)).toEqual(['README.md', conflictCopy]);
    expect((await a.cycle())?.actions).toEqual([]);
    expect((await b.cycle())?.actions).toEqual([]);
  });
});

describe('the same case rename made on both devices', () => {
  it('is only recorded on the second (the store kept the ETag through the copy), which keeps one base row', async () => {
    const [a, b] = await pair();
    write(a, 'notes.txt', 'same bytes');
    await a.cycle();
    await b.cycle();
    renameSync(join(a.root, 'notes.txt'), join(a.root, 'Notes.txt'));
    renameSync(join(b.root, 'notes.txt'), join(b.root, 'Notes.txt'));
    expect((await a.cycle())?.actions).toEqual([{ type: 'rename-remote', from: 'notes.txt', to: 'Notes.txt' }]);
    expect((await b.cycle())?.actions).toEqual([{ type: 'record-base', path: 'Notes.txt', replacesBase: 'notes.txt' }]);
    expect(basePaths(b)).toEqual(['Notes.txt']);
    expect((await b.cycle())?.actions).toEqual([]);
    expect(await remoteKeys(a.settings.bucket)).toEqual(['Notes.txt']);
  });
});
