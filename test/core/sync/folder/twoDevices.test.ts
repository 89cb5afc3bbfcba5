// Two devices syncing one bucket through the real embedded store: every kind of change, both ways.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStoreFixture, type StoreFixture } from '../../../support/storeFixture.js';
import { openSyncDevice, type SyncDevice } from '../../../support/syncDevice.js';
import { pruneLocalTrash, pruneRemoteTrash } from '../../../../main/core/sync/folder/trashPruning.js';

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

async function pair(): Promise<[SyncDevice, SyncDevice]> {
  const bucket = `two-devices-${++bucketCounter}`;
  const a = await openSyncDevice(fixture, { name: 'laptop', bucket });
  const b = await openSyncDevice(fixture, { name: 'desktop', bucket });
  devices.push(a, b);
  return [a, b];
}

function write(device: SyncDevice, path: string, content: string | Buffer): void {
  const file = join(device.root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
}

function read(device: SyncDevice, path: string): string {
  return readFileSync(join(device.root, path), 'utf8');
}

async function remoteKeys(bucket: string): Promise<string[]> {
  const out = await fixture.https.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

describe('two devices through the embedded store (sse-s3)', () => {
  it('a new file on one device arrives byte for byte on the other, with its hash in metadata', async () => {
    const [a, b] = await pair();
    write(a, 'docs/report.txt', 'quarterly numbers');
    write(a, 'empty.bin', Buffer.alloc(0));
    await a.cycle();
    await b.cycle();
    expect(read(b, 'docs/report.txt')).toBe('quarterly numbers');
    expect(read(b, 'empty.bin')).toBe('');
    const object = await fixture.https.send(new GetObjectCommand({ Bucket: a.settings.bucket, Key: 'docs/report.txt' }));
    expect(object.ServerSideEncryption).toBe('AES256');
    expect(object.Metadata?.['coffer-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(a.events.filter((e) => e.operation === 'SyncUpload')).toHaveLength(2);
    expect(b.events.filter((e) => e.operation === 'SyncDownload')).toHaveLength(2);
  });

  it('an edit on either side reaches the other; an unchanged rescan does nothing', async () => {
    const [a, b] = await pair();
    write(a, 'note.md', 'v1');
    await a.cycle();
    await b.cycle();
    write(b, 'note.md', 'v2 from desktop');
    await b.cycle();
    await a.cycle();
    expect(read(a, 'note.md')).toBe('v2 from desktop');
    const quiet = await a.cycle();
    expect(quiet?.actions).toEqual([]);
  });

  it('a deletion moves the remote object to the trash prefix and the other side\'s file to .coffer-trash', async () => {
    const [a, b] = await pair();
    write(a, 'old/plan.txt', 'to be deleted');
    write(a, 'keep.txt', 'stays');
    await a.cycle();
    await b.cycle();
    rmSync(join(a.root, 'old/plan.txt'));
    await a.cycle();
    const keys = await remoteKeys(a.settings.bucket);
    expect(keys).not.toContain('old/plan.txt');
    expect(keys.some((k) => /^\.coffer-trash\/\d{4}-\d{2}-\d{2}\/old\/plan\.txt$/.test(k))).toBe(true);
    await b.cycle();
    expect(existsSync(join(b.root, 'old/plan.txt'))).toBe(false);
    const day = readdirSync(join(b.root, '.coffer-trash'))[0]!;
    expect(readFileSync(join(b.root, '.coffer-trash', day, 'old/plan.txt'), 'utf8')).toBe('to be deleted');
    expect(read(b, 'keep.txt')).toBe('stays');
  });

  it('trash is kept for the retention on both sides, then emptied; each deletion is in the history', async () => {
    const [a, b] = await pair();
    write(a, 'old.txt', 'deleted soon');
    write(a, 'keep.txt', 'stays');
    await a.cycle();
    await b.cycle();
    rmSync(join(a.root, 'old.txt'));
    await a.cycle();
    await b.cycle();
    expect(a.events.filter((e) => e.operation === 'SyncDeleteRemote').map((e) => e.objectKey)).toEqual(['old.txt']);
    expect(b.events.filter((e) => e.operation === 'SyncDeleteLocal').map((e) => e.objectKey)).toEqual(['old.txt']);
    const trashedKeys = async () => (await remoteKeys(a.settings.bucket)).filter((k) => k.startsWith('.coffer-trash/'));
    const localDays = () => readdirSync(join(b.root, '.coffer-trash'));
    const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000);
    // 29 days on, a 30-day retention keeps both trashes; 31 days on, it empties them.
    expect(await pruneRemoteTrash(a.store, day(29), 30)).toBe(0);
    expect(await pruneLocalTrash(b.root, day(29), 30)).toBe(0);
    expect(await trashedKeys()).toHaveLength(1);
    expect(localDays()).toHaveLength(1);
    expect(await pruneRemoteTrash(a.store, day(31), 30)).toBe(1);
    expect(await pruneLocalTrash(b.root, day(31), 30)).toBe(1);
    expect(await trashedKeys()).toEqual([]);
    expect(localDays()).toEqual([]);
    expect(await remoteKeys(a.settings.bucket)).toEqual(['keep.txt']);
    expect(read(b, 'keep.txt')).toBe('stays');
  });

  it('a rename is a server-side copy, not an upload', async () => {
    const [a, b] = await pair();
    write(a, 'draft.txt', 'the same bytes, under a new name');
    await a.cycle();
    await b.cycle();
    renameSync(join(a.root, 'draft.txt'), join(a.root, 'final.txt'));
    const uploadsBefore = a.events.filter((e) => e.operation === 'SyncUpload').length;
    const outcome = await a.cycle();
    expect(outcome?.actions).toEqual([{ type: 'rename-remote', from: 'draft.txt', to: 'final.txt' }]);
    expect(a.events.filter((e) => e.operation === 'SyncUpload').length).toBe(uploadsBefore);
    expect(await remoteKeys(a.settings.bucket)).toEqual(['final.txt']);
    await b.cycle();
    expect(read(b, 'final.txt')).toBe('the same bytes, under a new name');
    expect(existsSync(join(b.root, 'draft.txt'))).toBe(false);
  });

  it('edits on both sides keep both: the local loser gets a conflict name and is uploaded too', async () => {
    const [a, b] = await pair();
    write(a, 'shared.txt', 'base');
    await a.cycle();
    await b.cycle();
    write(a, 'shared.txt', 'laptop edit');
    write(b, 'shared.txt', 'desktop edit');
    await a.cycle();
    await b.cycle();
    expect(read(b, 'shared.txt')).toBe('laptop edit');
    const conflictFile = readdirSync(b.root).find((n) => n.startsWith('shared (conflict '))!;
    expect(conflictFile).toMatch(/^shared \(conflict \d{4}-\d{2}-\d{2} \d{6} on desktop\)\.txt$/);
    expect(read(b, conflictFile)).toBe('desktop edit');
    expect(b.index.conflicts(b.settings.id)).toHaveLength(1);
    expect(b.events.some((e) => e.operation === 'SyncConflict')).toBe(true);
    await b.cycle();
    await a.cycle();
    expect(read(a, conflictFile)).toBe('desktop edit');
    expect(read(a, 'shared.txt')).toBe('laptop edit');
  });

  it('the same new file on both sides is no conflict', async () => {
    const [a, b] = await pair();
    write(a, 'same.txt', 'identical');
    write(b, 'same.txt', 'identical');
    await a.cycle();
    await b.cycle();
    expect(readdirSync(b.root)).toEqual(['same.txt']);
    expect(b.index.conflicts(b.settings.id)).toHaveLength(0);
  });

  it('an edit that beats a remote delete is uploaded again; a delete beaten by a remote edit restores the file', async () => {
    const [a, b] = await pair();
    write(a, 'x.txt', 'one');
    write(a, 'y.txt', 'two');
    await a.cycle();
    await b.cycle();
    rmSync(join(a.root, 'x.txt'));
    write(b, 'x.txt', 'one, edited on desktop');
    write(a, 'y.txt', 'two, edited on laptop');
    rmSync(join(b.root, 'y.txt'));
    await a.cycle();
    await b.cycle();
    await a.cycle();
    expect(read(a, 'x.txt')).toBe('one, edited on desktop');
    expect(read(b, 'y.txt')).toBe('two, edited on laptop');
  });

  // The user acts the moment a download lands, while the engine still fsyncs the directory and
  // records the file: that act must reach the other device, not be recorded as already synced.
  it('an edit or a deletion made right as a download lands is synced by the next cycle', async () => {
    const [a, b] = await pair();
    write(a, 'edit.txt', 'v1');
    write(a, 'gone.txt', 'v1');
    await a.cycle();
    await b.cycle();
    write(a, 'edit.txt', 'v2 from the laptop');
    write(a, 'gone.txt', 'v2 from the laptop');
    await a.cycle();
    const acted = new Set<string>();
    // inotify reports the rename of the temp file onto the target; the callback runs while the
    // download step is still awaiting its directory fsync.
    const watcher = watch(b.root, (_event, name) => {
      if (acted.has(String(name))) return;
      if (name === 'edit.txt' && read(b, 'edit.txt') === 'v2 from the laptop') {
        acted.add(name);
        writeFileSync(join(b.root, 'edit.txt'), 'v3, typed on the desktop the moment v2 arrived');
      } else if (name === 'gone.txt' && existsSync(join(b.root, 'gone.txt')) && read(b, 'gone.txt') === 'v2 from the laptop') {
        acted.add(name);
        rmSync(join(b.root, 'gone.txt'));
      }
    });
    try {
      await b.cycle();
    } finally {
      watcher.close();
    }
    expect([...acted].sort()).toEqual(['edit.txt', 'gone.txt']);
    await b.cycle();
    await a.cycle();
    expect(read(a, 'edit.txt')).toBe('v3, typed on the desktop the moment v2 arrived');
    expect(existsSync(join(a.root, 'gone.txt'))).toBe(false);
    expect(await remoteKeys(a.settings.bucket)).not.toContain('gone.txt');
  });

  it('a download whose bytes do not match the stored SHA-256 is refused and the local file left alone', async () => {
    const [a, b] = await pair();
    write(a, 'ledger.csv', 'the synced version');
    await a.cycle();
    await b.cycle();
    // Another writer replaces the object with other bytes but keeps the old hash in its metadata.
    const head = await fixture.https.send(new HeadObjectCommand({ Bucket: a.settings.bucket, Key: 'ledger.csv' }));
    await fixture.https.send(
      new PutObjectCommand({ Bucket: a.settings.bucket, Key: 'ledger.csv', Body: 'bytes that are not the recorded ones', Metadata: head.Metadata, ServerSideEncryption: 'AES256' }),
    );
    const outcome = await b.cycle();
    expect(outcome?.actions).toEqual([{ type: 'download', path: 'ledger.csv', reason: 'changed' }]);
    expect(read(b, 'ledger.csv')).toBe('the synced version');
    expect(b.sync.errors).toEqual([{ path: 'ledger.csv', message: expect.stringContaining('does not match its stored SHA-256') }]);
    expect(b.events.filter((e) => e.operation === 'SyncDownload' && e.outcome === 'failure').map((e) => e.errorCode)).toEqual(['IntegrityCheckFailed']);
    expect(readdirSync(b.root).filter((n) => n.startsWith('.coffer-tmp'))).toEqual([]);
  });

  it('a file edited while its download is in flight is not overwritten; the next cycle keeps both', async () => {
    const [a, b] = await pair();
    write(a, 'draft.md', 'v1');
    await a.cycle();
    await b.cycle();
    write(a, 'draft.md', 'v2 from the laptop');
    await a.cycle();
    // The edit lands once the download's temp file exists, before the engine looks at the target again.
    let edited = false;
    const watcher = watch(b.root, (_event, name) => {
      if (edited || !String(name).startsWith('.coffer-tmp')) return;
      edited = true;
      writeFileSync(join(b.root, 'draft.md'), 'v2 typed on the desktop meanwhile');
    });
    try {
      await b.cycle();
    } finally {
      watcher.close();
    }
    expect(edited).toBe(true);
    expect(read(b, 'draft.md')).toBe('v2 typed on the desktop meanwhile');
    expect(b.sync.errors).toEqual([{ path: 'draft.md', message: expect.stringContaining('edited during the download') }]);
    await b.cycle();
    await b.cycle();
    const copy = readdirSync(b.root).find((n) => n.startsWith('draft (conflict '))!;
    expect([read(b, 'draft.md'), read(b, copy)].sort()).toEqual(['v2 from the laptop', 'v2 typed on the desktop meanwhile']);
  });

  it('a folder that disappears pauses instead of deleting everything', async () => {
    const [a] = await pair();
    write(a, 'precious.txt', 'do not lose me');
    await a.cycle();
    rmSync(a.root, { recursive: true, force: true });
    await a.cycle();
    expect(a.sync.state).toBe('paused');
    expect(a.sync.reason).toMatch(/missing/);
    expect(await remoteKeys(a.settings.bucket)).toEqual(['precious.txt']);
  });

  it('a run that would delete most files stops and waits for the user, then goes on when approved', async () => {
    const bucket = `mass-delete-${++bucketCounter}`;
    const a = await openSyncDevice(fixture, { name: 'laptop', bucket });
    devices.push(a);
    for (let i = 0; i < 20; i++) write(a, `f${i}.txt`, `file ${i}`);
    await a.cycle();
    for (let i = 0; i < 15; i++) rmSync(join(a.root, `f${i}.txt`));
    await a.cycle();
    expect(a.sync.state).toBe('waiting-for-user');
    expect(a.sync.waitingDeletions).toBe(15);
    expect(await remoteKeys(bucket)).toHaveLength(20);
    a.sync.approveDeletions();
    await a.cycle();
    expect(a.sync.state).toBe('idle');
    expect((await remoteKeys(bucket)).filter((k) => !k.startsWith('.coffer-trash/'))).toHaveLength(5);
  });

  it('an NFD name on disk and its NFC key are one file', async () => {
    const [a, b] = await pair();
    const nfd = 'Cafe\u0301.txt';
    write(a, nfd, 'accent');
    await a.cycle();
    expect(await remoteKeys(a.settings.bucket)).toEqual(['Caf\u00e9.txt']);
    await b.cycle();
    expect(read(b, 'Caf\u00e9.txt')).toBe('accent');
    const again = await a.cycle();
    expect(again?.actions).toEqual([]);
  });

  it('a file replaced with a folder of the same name keeps both', async () => {
    const [a, b] = await pair();
    write(a, 'thing', 'a plain file');
    await a.cycle();
    await b.cycle();
    rmSync(join(a.root, 'thing'));
    write(a, 'thing/inside.txt', 'now a folder');
    await a.cycle();
    await b.cycle();
    expect(read(b, 'thing/inside.txt')).toBe('now a folder');
    const day = readdirSync(join(b.root, '.coffer-trash'))[0]!;
    expect(readFileSync(join(b.root, '.coffer-trash', day, 'thing'), 'utf8')).toBe('a plain file');
  });
});
