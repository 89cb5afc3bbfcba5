import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NEVER_SYNCED } from '../../../../main/core/sync/index/folderStates.js';
import { openIndexFixture, type IndexFixture } from './indexFixture.js';

let fx: IndexFixture;
beforeEach(() => {
  fx = openIndexFixture();
});
afterEach(() => fx.cleanup());

describe('folder state', () => {
  it('starts as never synced and merges partial updates, surviving a reopen', () => {
    expect(fx.index.folderState('f')).toEqual(NEVER_SYNCED);
    fx.index.setFolderState('f', { lastFullScanAt: 10, lastRemoteListingAt: 11 });
    fx.index.setFolderState('f', { lastSyncAt: 12, paused: true, pausedReason: 'folder root is missing' });
    expect(fx.reopen().folderState('f')).toEqual({
      lastFullScanAt: 10,
      lastRemoteListingAt: 11,
      lastSyncAt: 12,
      lastError: null,
      lastErrorAt: null,
      paused: true,
      pausedReason: 'folder root is missing',
    });
    expect(fx.index.folderState('other')).toEqual(NEVER_SYNCED);
  });

  it('stamps an error with the clock and clears the stamp with the error', () => {
    fx.clock = 9_000;
    expect(fx.index.setFolderState('f', { lastError: 'remote unreachable' })).toMatchObject({ lastError: 'remote unreachable', lastErrorAt: 9_000 });
    expect(fx.index.setFolderState('f', { lastError: 'again', lastErrorAt: 1 }).lastErrorAt).toBe(1);
    expect(fx.index.setFolderState('f', { lastError: null })).toMatchObject({ lastError: null, lastErrorAt: null });
  });
});

describe('conflicts', () => {
  it('lists open conflicts oldest first and hides resolved ones unless asked', () => {
    fx.clock = 100;
    const first = fx.index.addConflict('f', { path: 'a.txt', conflictPath: 'a (conflict 2025-01-01).txt', kind: 'both-changed' });
    const second = fx.index.addConflict('f', { path: 'B.txt', kind: 'case-clash', time: 50 });
    fx.index.addConflict('g', { path: 'x', kind: 'both-new' });
    expect(fx.index.conflicts('f')).toEqual([
      { id: first, folderId: 'f', path: 'a.txt', conflictPath: 'a (conflict 2025-01-01).txt', kind: 'both-changed', time: 100, resolvedAt: null },
      { id: second, folderId: 'f', path: 'B.txt', conflictPath: null, kind: 'case-clash', time: 50, resolvedAt: null },
    ]);
    fx.clock = 200;
    expect(fx.index.resolveConflict('f', first)).toBe(true);
    expect(fx.index.resolveConflict('f', first)).toBe(false);
    expect(fx.index.resolveConflict('g', second)).toBe(false);
    expect(fx.index.conflicts('f').map((c) => c.id)).toEqual([second]);
    expect(fx.index.conflicts('f', { includeResolved: true }).map((c) => [c.id, c.resolvedAt])).toEqual([[first, 200], [second, null]]);
  });
});
