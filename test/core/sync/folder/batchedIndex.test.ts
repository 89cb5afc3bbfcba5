// The executor's batched index writes: in order, in one transaction, and a conflict is never held back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchedSyncIndex } from '../../../../main/core/sync/folder/batchedIndex.js';
import { LocalIndex } from '../../../../main/core/sync/index/localIndex.js';

let dir: string;
let index: LocalIndex;
afterEach(() => {
  index.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(): LocalIndex {
  dir = mkdtempSync(join(tmpdir(), 'coffer-batched-'));
  index = LocalIndex.open(dir);
  return index;
}

const base = (path: string, etag: string) => ({ path, size: 1, sha256: 'a'.repeat(64), etag, mtimeMs: 1 });

describe('BatchedSyncIndex', () => {
  it('holds writes until flush, then applies them in order', () => {
    const writes = new BatchedSyncIndex(open());
    writes.setBase('f', base('x.txt', '"1"'));
    writes.setBase('f', base('x.txt', '"2"'));
    writes.setBase('f', base('y.txt', '"3"'));
    writes.removeBase('f', 'y.txt');
    expect(index.baseEntries('f')).toEqual([]);
    writes.flush();
    expect(index.baseEntries('f').map((b) => [b.path, b.etag])).toEqual([['x.txt', '"2"']]);
  });

  it('flushes on its own after a short delay', async () => {
    const writes = new BatchedSyncIndex(open());
    writes.setBase('f', base('late.txt', '"1"'));
    await new Promise((r) => setTimeout(r, 250));
    expect(index.baseEntries('f')).toHaveLength(1);
  });

  it('writes queued changes before recording a conflict', () => {
    const writes = new BatchedSyncIndex(open());
    writes.setBase('f', base('a.txt', '"1"'));
    writes.addConflict('f', { path: 'a.txt', conflictPath: 'a (conflict).txt', kind: 'both-changed', time: 1 });
    expect(index.baseEntries('f')).toHaveLength(1);
    expect(index.conflicts('f')).toHaveLength(1);
  });
});
