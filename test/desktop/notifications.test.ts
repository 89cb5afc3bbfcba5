// Desktop notifications come from the difference between two status snapshots: new conflicts, new errors, finished jobs.
import { describe, expect, it } from 'vitest';
import { noticesBetween, shouldNotify } from '../../main/desktop/notifications.js';
import { folder, status } from './statusFixtures.js';

const docs = (overrides = {}) => folder('f-docs-0001', '/home/ana/Documents', overrides);

describe('notifications', () => {
  it('says nothing for the first snapshot or when nothing changed', () => {
    const now = status([docs({ unresolvedConflicts: 3, state: 'error' })]);
    expect(noticesBetween(undefined, now)).toEqual([]);
    expect(noticesBetween(now, now)).toEqual([]);
  });

  it('tells of new conflicts, counting only the new ones', () => {
    const notices = noticesBetween(status([docs({ unresolvedConflicts: 1 })]), status([docs({ unresolvedConflicts: 3 })]));
    expect(notices).toEqual([{ kind: 'conflict', folderId: 'f-docs-0001', title: '2 new conflicts in Documents', body: expect.any(String) }]);
    expect(noticesBetween(status([docs({ unresolvedConflicts: 3 })]), status([docs({ unresolvedConflicts: 1 })]))).toEqual([]);
  });

  it('tells once when a folder goes into error, with its reason', () => {
    const before = status([docs({ state: 'syncing' })]);
    const after = status([docs({ state: 'error', reason: "the folder's root is missing" })]);
    expect(noticesBetween(before, after)).toEqual([{ kind: 'error', folderId: 'f-docs-0001', title: 'Sync stopped in Documents', body: "the folder's root is missing" }]);
    expect(noticesBetween(after, status([docs({ state: 'error', reason: "the folder's root is missing" })]))).toEqual([]);
  });

  it('tells of files that newly failed, not of failures already shown', () => {
    const old = { path: 'a.txt', message: 'permission denied' };
    const fresh = { path: 'b.txt', message: 'file is locked' };
    const notices = noticesBetween(status([docs({ errors: [old] })]), status([docs({ errors: [old, fresh] })]));
    expect(notices).toEqual([{ kind: 'error', folderId: 'f-docs-0001', title: '1 file could not sync in Documents', body: 'b.txt: file is locked' }]);
    expect(noticesBetween(status([docs({ errors: [old, fresh] })]), status([docs({ errors: [fresh] })]))).toEqual([]);
  });

  it('tells when a re-key or a mode change ends, and whether it stopped short', () => {
    const rekeying = status([docs({ state: 'syncing', job: { kind: 'rekey', done: 9, total: 10 } })]);
    expect(noticesBetween(rekeying, status([docs()]))).toEqual([{ kind: 'job-finished', folderId: 'f-docs-0001', title: 'Re-keying finished in Documents', body: 'Every file has its new key.' }]);
    const stopped = noticesBetween(rekeying, status([docs({ state: 'error', reason: '1 of 10 objects failed' })]));
    expect(stopped).toEqual([{ kind: 'job-finished', folderId: 'f-docs-0001', title: 'Re-keying stopped in Documents', body: '1 of 10 objects failed' }]);
    const changing = status([docs({ job: { kind: 'change-mode', done: 1, total: 2 } })]);
    expect(noticesBetween(changing, status([docs({ mode: 'sse-kms' })]))[0]).toMatchObject({ title: 'The encryption change finished in Documents', body: 'The folder now syncs in SSE-KMS.' });
  });

  it('ignores folders added or removed between the snapshots', () => {
    const other = folder('f-other-001', '/x', { unresolvedConflicts: 5, state: 'error' });
    expect(noticesBetween(status([docs()]), status([docs(), other]))).toEqual([]);
    expect(noticesBetween(status([docs(), other]), status([docs()]))).toEqual([]);
  });
});

describe('the notifications setting', () => {
  it('lets everything through while on, and only answers to the user\'s own commands while off', () => {
    expect(shouldNotify('news', { notifications: true })).toBe(true);
    expect(shouldNotify('answer', { notifications: true })).toBe(true);
    expect(shouldNotify('news', { notifications: false })).toBe(false);
    expect(shouldNotify('answer', { notifications: false })).toBe(true);
  });
});
