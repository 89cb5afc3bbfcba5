import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INDEX_FILE, LocalIndex } from '../../../../main/core/sync/index/localIndex.js';
import type { BaseFile, LocalFile } from '../../../../main/core/sync/syncTypes.js';
import { openIndexFixture, type IndexFixture } from './indexFixture.js';

let fx: IndexFixture;
beforeEach(() => {
  fx = openIndexFixture();
});
afterEach(() => fx.cleanup());

const file = (path: string, sha = 'a'.repeat(64), size = 10): LocalFile => ({ path, size, mtimeMs: 1_700_000_000_123.456, inode: 42, sha256: sha });
const base = (path: string, etag = '"e1"'): BaseFile => ({ path, size: 10, sha256: 'b'.repeat(64), etag, mtimeMs: 1_700_000_000_000.5 });

describe('LocalIndex files', () => {
  it('opens index.sqlite in the data dir in WAL mode with synchronous=FULL', () => {
    expect(existsSync(join(fx.dir, INDEX_FILE))).toBe(true);
    expect(fx.index.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(fx.index.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('round-trips scan columns exactly, including sub-millisecond mtimes, across a reopen', () => {
    fx.index.upsertLocal('f1', file('docs/a.txt'));
    fx.index.upsertLocal('f1', file('docs/a.txt', 'c'.repeat(64), 11));
    fx.index.upsertLocal('f2', file('other.txt'));
    const index = fx.reopen();
    expect(index.localEntries('f1')).toEqual(new Map([['docs/a.txt', { size: 11, mtimeMs: 1_700_000_000_123.456, inode: 42, sha256: 'c'.repeat(64) }]]));
    expect(index.localEntry('f1', 'docs/a.txt')?.sha256).toBe('c'.repeat(64));
    expect(index.localEntry('f1', 'other.txt')).toBeUndefined();
    expect([...index.localEntries('f2').keys()]).toEqual(['other.txt']);
  });

  it('keeps the base when the local file goes, and the local file when the base goes', () => {
    const { index } = fx;
    index.upsertLocal('f', file('a'));
    index.setBase('f', base('a'));
    index.removeLocal('f', 'a');
    expect(index.localEntries('f').size).toBe(0);
    expect(index.baseEntries('f')).toEqual([base('a')]);
    index.upsertLocal('f', file('a'));
    index.removeBase('f', 'a');
    expect(index.baseEntries('f')).toEqual([]);
    expect(index.localEntries('f').size).toBe(1);
    index.removeLocal('f', 'a');
    expect(index.db.prepare('SELECT count(*) FROM files').pluck().get()).toBe(0);
    index.removeLocal('f', 'never-there');
    index.removeBase('f', 'never-there');
  });

  it('stamps synced_at with the clock unless given, and replaces an older base', () => {
    const { index } = fx;
    fx.clock = 5_000;
    index.setBase('f', base('a'));
    index.setBase('f', base('b'), 7_000);
    index.setBase('f', base('a', '"e2"'));
    expect(index.baseEntries('f')).toEqual([base('a', '"e2"'), base('b')]);
    expect(index.db.prepare("SELECT path, synced_at FROM files ORDER BY path").raw().all()).toEqual([['a', 5_000], ['b', 7_000]]);
  });

  it('lists entries under a directory with one range, not matching siblings that share a prefix', () => {
    const { index } = fx;
    for (const path of ['a', 'a/x', 'a/y/z', 'a-b', 'a0', 'ab/c', 'b']) index.upsertLocal('f', file(path));
    expect([...index.localEntriesUnder('f', 'a').keys()].sort()).toEqual(['a/x', 'a/y/z']);
    expect([...index.localEntriesUnder('f', 'a/y').keys()]).toEqual(['a/y/z']);
    expect(index.localEntriesUnder('f', '').size).toBe(7);
  });

  it('stores the on-disk spelling and finds it by its NFC key', () => {
    const nfd = 'caf\u0065\u0301/r\u0065\u0301sum\u0065\u0301.txt';
    const nfc = nfd.normalize('NFC');
    fx.index.upsertLocal('f', file(nfd));
    expect([...fx.index.localEntries('f').keys()]).toEqual([nfd]);
    expect(fx.index.pathsWithKey('f', nfc)).toEqual([nfd]);
    expect(fx.index.pathsWithKey('f', nfd)).toEqual([]);
    fx.index.upsertLocal('f', file(nfc));
    expect(fx.index.pathsWithKey('f', nfc).sort()).toEqual([nfc, nfd].sort());
  });

  it('rolls a whole transaction back when its work throws', () => {
    const { index } = fx;
    expect(() =>
      index.transaction(() => {
        index.upsertLocal('f', file('a'));
        index.setBase('f', base('b'));
        throw new Error('stop');
      }),
    ).toThrow('stop');
    expect(index.localEntries('f').size).toBe(0);
    expect(index.baseEntries('f')).toEqual([]);
    expect(index.transaction(() => 42)).toBe(42);
  });

  it('removeFolder deletes every row of that folder and nothing of another', () => {
    const { index } = fx;
    for (const folder of ['gone', 'kept']) {
      index.upsertLocal(folder, file('a'));
      index.setBase(folder, base('b'));
      const ledger = index.uploadLedger(folder);
      ledger.begin({ key: 'big', uploadId: 'u', fingerprint: 'fp', partSize: 5 });
      ledger.partDone('big', 'u', { partNumber: 1, etag: '"p"', size: 5 });
      index.setFolderState(folder, { paused: true });
      index.addConflict(folder, { path: 'a', kind: 'both-changed', conflictPath: 'a (conflict)' });
    }
    index.removeFolder('gone');
    for (const table of ['files', 'upload_checkpoints', 'upload_parts', 'folder_state', 'conflicts']) {
      const folders = index.db.prepare(`SELECT DISTINCT folder_id FROM ${table}`).pluck().all();
      expect(folders, table).toEqual(['kept']);
    }
  });

  it('refuses to open when the data dir does not exist', () => {
    expect(() => LocalIndex.open(join(fx.dir, 'missing'))).toThrow();
  });
});
