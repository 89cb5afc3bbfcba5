// The synced base's remote version id in the local index: written, replaced, cleared and read back across a restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BaseFile } from '../../../../main/core/sync/syncTypes.js';
import { openIndexFixture, type IndexFixture } from './indexFixture.js';

let fx: IndexFixture;

beforeEach(() => {
  fx = openIndexFixture();
});
afterEach(() => {
  fx.cleanup();
});

const base = (path: string, extra: Partial<BaseFile> = {}): BaseFile => ({ path, size: 5, sha256: 'c'.repeat(64), etag: '"e1"', mtimeMs: 1_700_000_000_000, ...extra });

function storedVersion(path: string): unknown {
  return fx.index.db.prepare("SELECT synced_version_id FROM files WHERE folder_id = 'f' AND path = ?").pluck().get(path);
}

describe('LocalIndex base version id', () => {
  it('records the version id with the base and reads it back after a restart', () => {
    fx.index.setBase('f', base('a.txt', { versionId: 'ver-A1' }));
    fx.index.setBase('f', base('b.txt'));
    const index = fx.reopen();
    expect(index.baseEntries('f')).toEqual([base('a.txt', { versionId: 'ver-A1' }), base('b.txt')]);
    expect(index.baseEntries('f')[1]).not.toHaveProperty('versionId');
  });

  it('a later base replaces the version id, and one without a version clears it', () => {
    fx.index.setBase('f', base('a.txt', { versionId: 'ver-A1' }));
    fx.index.setBase('f', base('a.txt', { etag: '"e2"', versionId: 'ver-A2' }));
    expect(fx.index.baseEntries('f')[0]?.versionId).toBe('ver-A2');
    fx.index.setBase('f', base('a.txt', { etag: '"e3"' }));
    expect(storedVersion('a.txt')).toBeNull();
  });

  it('stores S3\'s literal "null" version (an unversioned write) and an empty one as none', () => {
    fx.index.setBase('f', base('a.txt', { versionId: 'null' }));
    fx.index.setBase('f', base('b.txt', { versionId: '' }));
    expect(storedVersion('a.txt')).toBeNull();
    expect(storedVersion('b.txt')).toBeNull();
    expect(fx.index.baseEntries('f').every((b) => !('versionId' in b))).toBe(true);
  });

  it('removeBase forgets the version with the base, keeping the scan columns', () => {
    fx.index.upsertLocal('f', { path: 'a.txt', size: 5, mtimeMs: 1, inode: 9, sha256: 'c'.repeat(64) });
    fx.index.setBase('f', base('a.txt', { versionId: 'ver-A1' }));
    fx.index.removeBase('f', 'a.txt');
    expect(fx.index.baseEntries('f')).toEqual([]);
    expect(fx.index.localEntry('f', 'a.txt')).toBeDefined();
    expect(storedVersion('a.txt')).toBeNull();
  });

  it('replaceBaseEtag takes the copy\'s version id with its ETag, only for the base it was copied from', () => {
    fx.index.setBase('f', base('Cafe\u0301.txt', { etag: '"old"', versionId: 'ver-1' }));
    expect(fx.index.replaceBaseEtag('f', 'Caf\u00e9.txt', '"other"', '"new"', 'ver-2')).toBe(false);
    expect(fx.index.baseEntries('f')[0]).toEqual(base('Cafe\u0301.txt', { etag: '"old"', versionId: 'ver-1' }));
    expect(fx.index.replaceBaseEtag('f', 'Caf\u00e9.txt', '"old"', '"new"', 'ver-2')).toBe(true);
    expect(fx.index.baseEntries('f')[0]).toEqual(base('Cafe\u0301.txt', { etag: '"new"', versionId: 'ver-2' }));
    // A copy on an unversioned bucket reports no version: the base keeps none rather than a stale one.
    expect(fx.index.replaceBaseEtag('f', 'Caf\u00e9.txt', '"new"', '"newer"')).toBe(true);
    expect(fx.index.baseEntries('f')[0]).not.toHaveProperty('versionId');
  });
});
