import { describe, expect, it } from 'vitest';
import type { SyncAction } from '../../../main/core/sync/syncTypes.js';
import { base, local, plan, remote, seededRandom, type Sides } from './planFixtures.js';

// Base content 'v1' at ETag 'e1'; a changed local file holds 'v2', a changed remote object has ETag 'e2'.
const P = 'docs/report.txt';
const B = base(P, 'v1', 'e1');
const L_SAME = local(P, 'v1');
const L_CHANGED = local(P, 'v2');
const R_SAME = remote(P, 'e1');
const R_CHANGED = remote(P, 'e2');

describe('planSync: local × remote × base', () => {
  it.each<[string, Sides, SyncAction[]]>([
    // No base: only absent and new are meaningful.
    ['nothing anywhere → nothing', {}, []],
    ['new local only → upload(new)', { local: [local(P, 'v1')] }, [{ type: 'upload', path: P, reason: 'new' }]],
    ['new remote only → download(new)', { remote: [remote(P, 'e1')] }, [{ type: 'download', path: P, reason: 'new' }]],
    ['new on both sides → conflict(both-new)', { local: [local(P, 'v1')], remote: [remote(P, 'e1', 9)] }, [{ type: 'conflict', path: P, kind: 'both-new' }]],
    [
      'new on both sides with equal sizes → still conflict(both-new): a listing has no hash',
      { local: [local(P, 'v1')], remote: [remote(P, 'e1', 2)] },
      [{ type: 'conflict', path: P, kind: 'both-new' }],
    ],
    // With a base: absent means deleted.
    ['same / same → nothing', { base: [B], local: [L_SAME], remote: [R_SAME] }, []],
    ['changed / same → upload(changed)', { base: [B], local: [L_CHANGED], remote: [R_SAME] }, [{ type: 'upload', path: P, reason: 'changed' }]],
    ['same / changed → download(changed)', { base: [B], local: [L_SAME], remote: [R_CHANGED] }, [{ type: 'download', path: P, reason: 'changed' }]],
    ['changed / changed → conflict(both-changed)', { base: [B], local: [L_CHANGED], remote: [R_CHANGED] }, [{ type: 'conflict', path: P, kind: 'both-changed' }]],
    ['deleted / same → delete-remote', { base: [B], remote: [R_SAME] }, [{ type: 'delete-remote', path: P }]],
    ['same / deleted → delete-local', { base: [B], local: [L_SAME] }, [{ type: 'delete-local', path: P }]],
    ['deleted / deleted → forget-base', { base: [B] }, [{ type: 'forget-base', path: P }]],
    ['changed / deleted → upload(remote-deleted): an edit beats a delete', { base: [B], local: [L_CHANGED] }, [{ type: 'upload', path: P, reason: 'remote-deleted' }]],
    ['deleted / changed → download(local-deleted)', { base: [B], remote: [R_CHANGED] }, [{ type: 'download', path: P, reason: 'local-deleted' }]],
  ])('%s', (_case, sides, expected) => {
    expect(plan(sides)).toEqual(expected);
  });

  it('touches nothing when only the local mtime or the remote date moved', () => {
    const touched = { ...L_SAME, mtimeMs: L_SAME.mtimeMs + 5000, inode: 99 };
    const relisted = { ...R_SAME, lastModifiedMs: R_SAME.lastModifiedMs + 5000 };
    expect(plan({ base: [B], local: [touched], remote: [relisted] })).toEqual([]);
  });

  it('handles many paths at once, each by its own row', () => {
    const actions = plan({
      base: [base('keep', 'k', 'ek'), base('gone-here', 'g', 'eg'), base('gone-there', 't', 'et')],
      local: [local('keep', 'k'), local('gone-there', 't'), local('fresh', 'f')],
      remote: [remote('keep', 'ek'), remote('gone-here', 'eg'), remote('incoming', 'ei')],
    });
    expect(actions).toEqual([
      { type: 'upload', path: 'fresh', reason: 'new' },
      { type: 'delete-remote', path: 'gone-here' },
      { type: 'delete-local', path: 'gone-there' },
      { type: 'download', path: 'incoming', reason: 'new' },
    ]);
  });
});

describe('planSync: renames', () => {
  it.each<[string, Sides, SyncAction[]]>([
    [
      'same content at a new local path, old path gone and unchanged remotely → rename-remote',
      { base: [base('a.txt', 'X', 'e')], remote: [remote('a.txt', 'e')], local: [local('b.txt', 'X')] },
      [{ type: 'rename-remote', from: 'a.txt', to: 'b.txt' }],
    ],
    [
      'a move between folders',
      { base: [base('old/deep/photo.jpg', 'X', 'e')], remote: [remote('old/deep/photo.jpg', 'e')], local: [local('new/photo.jpg', 'X')] },
      [{ type: 'rename-remote', from: 'old/deep/photo.jpg', to: 'new/photo.jpg' }],
    ],
    [
      'copy then delete: one target takes the source (smallest path), the other is uploaded',
      { base: [base('a', 'X', 'e')], remote: [remote('a', 'e')], local: [local('c', 'X'), local('b', 'X')] },
      [
        { type: 'rename-remote', from: 'a', to: 'b' },
        { type: 'upload', path: 'c', reason: 'new' },
      ],
    ],
    [
      'two vanished sources with one content: the smallest path wins, the other is deleted',
      { base: [base('b', 'X', 'eb'), base('a', 'X', 'ea')], remote: [remote('b', 'eb'), remote('a', 'ea')], local: [local('z', 'X')] },
      [
        { type: 'delete-remote', path: 'b' },
        { type: 'rename-remote', from: 'a', to: 'z' },
      ],
    ],
    [
      'a source with the same file name is preferred over a smaller path',
      { base: [base('a/one.txt', 'X', 'e1'), base('b/two.txt', 'X', 'e2')], remote: [remote('a/one.txt', 'e1'), remote('b/two.txt', 'e2')], local: [local('c/two.txt', 'X')] },
      [
        { type: 'delete-remote', path: 'a/one.txt' },
        { type: 'rename-remote', from: 'b/two.txt', to: 'c/two.txt' },
      ],
    ],
    [
      'two files moved together pair by name',
      {
        base: [base('old/x', 'S', 'ex'), base('old/y', 'S', 'ey')],
        remote: [remote('old/x', 'ex'), remote('old/y', 'ey')],
        local: [local('new/y', 'S'), local('new/x', 'S')],
      },
      [
        { type: 'rename-remote', from: 'old/x', to: 'new/x' },
        { type: 'rename-remote', from: 'old/y', to: 'new/y' },
      ],
    ],
    [
      'old path changed remotely → no rename: download(local-deleted) and upload(new)',
      { base: [base('a', 'X', 'e')], remote: [remote('a', 'e2')], local: [local('b', 'X')] },
      [
        { type: 'download', path: 'a', reason: 'local-deleted' },
        { type: 'upload', path: 'b', reason: 'new' },
      ],
    ],
    [
      'new path taken remotely → no rename: delete-remote and conflict(both-new)',
      { base: [base('a', 'X', 'e')], remote: [remote('a', 'e'), remote('b', 'eb')], local: [local('b', 'X')] },
      [
        { type: 'delete-remote', path: 'a' },
        { type: 'conflict', path: 'b', kind: 'both-new' },
      ],
    ],
    [
      'different content → no rename',
      { base: [base('a', 'X', 'e')], remote: [remote('a', 'e')], local: [local('b', 'Y')] },
      [
        { type: 'delete-remote', path: 'a' },
        { type: 'upload', path: 'b', reason: 'new' },
      ],
    ],
    [
      'old path also gone remotely → no rename: forget-base and upload(new)',
      { base: [base('a', 'X', 'e')], local: [local('b', 'X')] },
      [
        { type: 'forget-base', path: 'a' },
        { type: 'upload', path: 'b', reason: 'new' },
      ],
    ],
    [
      'a new file with a base at its path is an edit, not a rename target',
      { base: [base('a', 'X', 'ea'), base('b', 'Y', 'eb')], remote: [remote('a', 'ea'), remote('b', 'eb')], local: [local('b', 'X')] },
      [
        { type: 'delete-remote', path: 'a' },
        { type: 'upload', path: 'b', reason: 'changed' },
      ],
    ],
  ])('%s', (_case, sides, expected) => {
    expect(plan(sides)).toEqual(expected);
  });
});

describe('planSync: case and Unicode spellings', () => {
  const NFC = 'caf\u00e9.txt';
  const NFD = 'cafe\u0301.txt';

  it.each<[string, Sides, SyncAction[]]>([
    [
      'case-only rename on a case-insensitive disk → rename-remote from the base name',
      { caseInsensitive: true, base: [base('README.md', 'X', 'e')], remote: [remote('README.md', 'e')], local: [local('Readme.md', 'X')] },
      [{ type: 'rename-remote', from: 'README.md', to: 'Readme.md' }],
    ],
    [
      'case-only rename on a case-sensitive disk → an ordinary rename',
      { base: [base('README.md', 'X', 'e')], remote: [remote('README.md', 'e')], local: [local('Readme.md', 'X')] },
      [{ type: 'rename-remote', from: 'README.md', to: 'Readme.md' }],
    ],
    [
      'both sides made the same case rename → record-base only',
      { caseInsensitive: true, base: [base('README.md', 'X', 'e')], remote: [remote('Readme.md', 'e')], local: [local('Readme.md', 'X')] },
      [{ type: 'record-base', path: 'Readme.md', replacesBase: 'README.md' }],
    ],
    [
      'a case rename made elsewhere (ETag kept) → nothing: this disk cannot tell the names apart',
      { caseInsensitive: true, base: [base('README.md', 'X', 'e')], remote: [remote('Readme.md', 'e')], local: [local('README.md', 'X')] },
      [],
    ],
    [
      'case-only rename plus an edit → upload(changed) under the local spelling, superseding the old key',
      { caseInsensitive: true, base: [base('README.md', 'X', 'e')], remote: [remote('README.md', 'e')], local: [local('Readme.md', 'Y')] },
      [{ type: 'upload', path: 'Readme.md', reason: 'changed', replacesKey: 'README.md', replacesBase: 'README.md' }],
    ],
    [
      'a remote case change with new content → download(changed) under the remote key, over the local spelling',
      { caseInsensitive: true, base: [base('README.md', 'X', 'e')], remote: [remote('Readme.md', 'e2')], local: [local('README.md', 'X')] },
      [{ type: 'download', path: 'Readme.md', reason: 'changed', replacesLocal: 'README.md', replacesBase: 'README.md' }],
    ],
    ['NFD on disk, NFC remote and base, unchanged → nothing (not a rename)', { base: [base(NFC, 'X', 'e')], remote: [remote(NFC, 'e')], local: [local(NFD, 'X')] }, []],
    ['NFD on disk and in the base, NFC remote, unchanged → nothing', { base: [base(NFD, 'X', 'e')], remote: [remote(NFC, 'e')], local: [local(NFD, 'X')] }, []],
    [
      'NFD on disk, edited → upload with the local (NFD) name',
      { base: [base(NFC, 'X', 'e')], remote: [remote(NFC, 'e')], local: [local(NFD, 'Y')] },
      [{ type: 'upload', path: NFD, reason: 'changed' }],
    ],
    [
      'NFD on disk, changed remotely → download with the remote (NFC) key',
      { base: [base(NFC, 'X', 'e')], remote: [remote(NFC, 'e2')], local: [local(NFD, 'X')] },
      [{ type: 'download', path: NFC, reason: 'changed' }],
    ],
    [
      'NFD new on disk while NFC is new remotely → one path, conflict(both-new)',
      { local: [local(NFD, 'X')], remote: [remote(NFC, 'e')] },
      [{ type: 'conflict', path: NFD, kind: 'both-new' }],
    ],
  ])('%s', (_case, sides, expected) => {
    expect(plan(sides)).toEqual(expected);
  });
});

describe('planSync: a file renamed by case and changed (case-insensitive disk)', () => {
  const NFC = 'caf\u00e9.txt';
  const NFD = 'cafe\u0301.txt';
  const UPPER_NFD = 'CAFE\u0301.TXT';
  const insensitive = (sides: Sides): Sides => ({ ...sides, caseInsensitive: true });

  it.each<[string, Sides, SyncAction[]]>([
    [
      'renamed and edited here, unchanged there → upload under the new name, superseding the old key and base row',
      insensitive({ base: [base('Readme.md', 'X', 'e')], remote: [remote('Readme.md', 'e')], local: [local('README.md', 'Y')] }),
      [{ type: 'upload', path: 'README.md', reason: 'changed', replacesKey: 'Readme.md', replacesBase: 'Readme.md' }],
    ],
    [
      'renamed and edited here, edited there → conflict reading the remote key; nothing superseded, the base row stays',
      insensitive({ base: [base('Readme.md', 'X', 'e')], remote: [remote('Readme.md', 'e2')], local: [local('README.md', 'Y')] }),
      [{ type: 'conflict', path: 'README.md', kind: 'both-changed', remoteKey: 'Readme.md' }],
    ],
    [
      'edited here, renamed and edited there → conflict; the file settles under the remote key, so the base row goes',
      insensitive({ base: [base('Readme.md', 'X', 'e')], remote: [remote('README.md', 'e2')], local: [local('Readme.md', 'Y')] }),
      [{ type: 'conflict', path: 'Readme.md', kind: 'both-changed', remoteKey: 'README.md', replacesBase: 'Readme.md' }],
    ],
    [
      'edited here, renamed there with the ETag kept → upload under the local name supersedes the renamed key',
      insensitive({ base: [base('Readme.md', 'X', 'e')], remote: [remote('README.md', 'e')], local: [local('Readme.md', 'Y')] }),
      [{ type: 'upload', path: 'Readme.md', reason: 'changed', replacesKey: 'README.md' }],
    ],
    [
      'three spellings (renamed elsewhere with the ETag kept, renamed and edited here) → both old spellings retired',
      insensitive({ base: [base('README.md', 'X', 'e')], remote: [remote('Readme.md', 'e')], local: [local('readme.md', 'Y')] }),
      [{ type: 'upload', path: 'readme.md', reason: 'changed', replacesKey: 'Readme.md', replacesBase: 'README.md' }],
    ],
    [
      'renamed and edited here, deleted there → upload(remote-deleted), retiring the base row only',
      insensitive({ base: [base('Readme.md', 'X', 'e')], local: [local('README.md', 'Y')] }),
      [{ type: 'upload', path: 'README.md', reason: 'remote-deleted', replacesBase: 'Readme.md' }],
    ],
    [
      'deleted here, renamed and edited there → download(local-deleted), retiring the base row',
      insensitive({ base: [base('Readme.md', 'X', 'e')], remote: [remote('README.md', 'e2')] }),
      [{ type: 'download', path: 'README.md', reason: 'local-deleted', replacesBase: 'Readme.md' }],
    ],
    [
      'new on both sides under two cases → conflict(both-new) reading the remote key',
      insensitive({ local: [local('README.md', 'Y')], remote: [remote('Readme.md', 'e')] }),
      [{ type: 'conflict', path: 'README.md', kind: 'both-new', remoteKey: 'Readme.md' }],
    ],
    [
      'a case and an NFD difference at once → still superseded (the NFC key differs by case)',
      insensitive({ base: [base(NFC, 'X', 'e')], remote: [remote(NFC, 'e')], local: [local(UPPER_NFD, 'Y')] }),
      [{ type: 'upload', path: UPPER_NFD, reason: 'changed', replacesKey: NFC, replacesBase: NFC }],
    ],
    // NFC and NFD spellings share one remote key: nothing to supersede, whatever changed.
    ['NFD on disk, NFC remote and base, unchanged → nothing', insensitive({ base: [base(NFC, 'X', 'e')], remote: [remote(NFC, 'e')], local: [local(NFD, 'X')] }), []],
    [
      'NFD on disk, edited → a plain upload under the NFD name',
      insensitive({ base: [base(NFC, 'X', 'e')], remote: [remote(NFC, 'e')], local: [local(NFD, 'Y')] }),
      [{ type: 'upload', path: NFD, reason: 'changed' }],
    ],
    [
      'NFD on disk and in the base, NFC remote changed → a plain download',
      insensitive({ base: [base(NFD, 'X', 'e')], remote: [remote(NFC, 'e2')], local: [local(NFD, 'X')] }),
      [{ type: 'download', path: NFC, reason: 'changed' }],
    ],
    [
      'NFD on disk, edited on both sides → a plain conflict',
      insensitive({ base: [base(NFC, 'X', 'e')], remote: [remote(NFC, 'e2')], local: [local(NFD, 'Y')] }),
      [{ type: 'conflict', path: NFD, kind: 'both-changed' }],
    ],
    [
      'on a case-sensitive disk the renamed and edited file is another file: upload(new) and delete-remote',
      { base: [base('Readme.md', 'X', 'e')], remote: [remote('Readme.md', 'e')], local: [local('README.md', 'Y')] },
      [
        { type: 'upload', path: 'README.md', reason: 'new' },
        { type: 'delete-remote', path: 'Readme.md' },
      ],
    ],
    [
      'a type change drops the spellings: the file steps aside instead',
      insensitive({ base: [base('Docs', 'X', 'e')], remote: [remote('Docs', 'e'), remote('docs/a.txt', 'e2')], local: [local('DOCS', 'Y')] }),
      [
        { type: 'conflict', path: 'DOCS', kind: 'type-change' },
        { type: 'download', path: 'docs/a.txt', reason: 'new' },
      ],
    ],
  ])('%s', (_case, sides, expected) => {
    expect(plan(sides)).toEqual(expected);
  });

  it('adds no optional field where it has nothing to say', () => {
    const [upload] = plan(insensitive({ base: [base(NFC, 'X', 'e')], remote: [remote(NFC, 'e')], local: [local(NFD, 'Y')] }));
    expect(Object.keys(upload!).sort()).toEqual(['path', 'reason', 'type']);
  });
});

describe('planSync: type changes', () => {
  it.each<[string, Sides, SyncAction[]]>([
    [
      'local file vs remote folder → conflict(type-change) on the file, the folder still syncs',
      { local: [local('a', 'X')], remote: [remote('a/b.txt', 'e')] },
      [
        { type: 'conflict', path: 'a', kind: 'type-change' },
        { type: 'download', path: 'a/b.txt', reason: 'new' },
      ],
    ],
    [
      'local folder vs remote file → conflict(type-change) on the file',
      { local: [local('a/b.txt', 'X')], remote: [remote('a', 'e')] },
      [
        { type: 'conflict', path: 'a', kind: 'type-change' },
        { type: 'upload', path: 'a/b.txt', reason: 'new' },
      ],
    ],
    [
      'a deep prefix counts too',
      { local: [local('x/y', 'X')], remote: [remote('x/y/z/w', 'e')] },
      [
        { type: 'conflict', path: 'x/y', kind: 'type-change' },
        { type: 'download', path: 'x/y/z/w', reason: 'new' },
      ],
    ],
    [
      'file replaced by a folder here, file unchanged there → plain delete and upload',
      { base: [base('a', 'X', 'e')], remote: [remote('a', 'e')], local: [local('a/b.txt', 'Y')] },
      [
        { type: 'delete-remote', path: 'a' },
        { type: 'upload', path: 'a/b.txt', reason: 'new' },
      ],
    ],
    [
      'file replaced by a folder there, file unchanged here → plain delete and download',
      { base: [base('a', 'X', 'e')], local: [local('a', 'X')], remote: [remote('a/b.txt', 'e2')] },
      [
        { type: 'delete-local', path: 'a' },
        { type: 'download', path: 'a/b.txt', reason: 'new' },
      ],
    ],
    [
      'file edited here while replaced by a folder there → conflict(type-change)',
      { base: [base('a', 'X', 'e')], local: [local('a', 'Y')], remote: [remote('a/b.txt', 'e2')] },
      [
        { type: 'conflict', path: 'a', kind: 'type-change' },
        { type: 'download', path: 'a/b.txt', reason: 'new' },
      ],
    ],
    [
      'a remote holding both "a" and "a/b" (S3 allows it) → conflict(type-change) on "a"',
      { remote: [remote('a', 'e1'), remote('a/b', 'e2')] },
      [
        { type: 'conflict', path: 'a', kind: 'type-change' },
        { type: 'download', path: 'a/b', reason: 'new' },
      ],
    ],
    [
      'folded by case on a case-insensitive disk',
      { caseInsensitive: true, local: [local('Docs', 'X')], remote: [remote('docs/a.txt', 'e')] },
      [
        { type: 'conflict', path: 'Docs', kind: 'type-change' },
        { type: 'download', path: 'docs/a.txt', reason: 'new' },
      ],
    ],
    [
      'a type-changed file is not a rename target',
      { base: [base('old', 'X', 'e')], remote: [remote('old', 'e'), remote('a/b', 'e2')], local: [local('a', 'X')] },
      [
        { type: 'conflict', path: 'a', kind: 'type-change' },
        { type: 'download', path: 'a/b', reason: 'new' },
        { type: 'delete-remote', path: 'old' },
      ],
    ],
  ])('%s', (_case, sides, expected) => {
    expect(plan(sides)).toEqual(expected);
  });
});

describe('planSync: clashes and unsafe names', () => {
  const skip = (path: string): SyncAction => ({ type: 'skip', path, reason: expect.any(String) as unknown as string });

  it.each<[string, Sides, SyncAction[]]>([
    [
      'two remote keys folding to one on a case-insensitive disk → the first in byte order syncs, the other skips',
      { caseInsensitive: true, remote: [remote('notes.txt', 'e2'), remote('Notes.txt', 'e1')] },
      [{ type: 'download', path: 'Notes.txt', reason: 'new' }, skip('notes.txt')],
    ],
    [
      'the same keys on a case-sensitive disk are two files',
      { remote: [remote('notes.txt', 'e2'), remote('Notes.txt', 'e1')] },
      [
        { type: 'download', path: 'Notes.txt', reason: 'new' },
        { type: 'download', path: 'notes.txt', reason: 'new' },
      ],
    ],
    [
      'a clashing upload from elsewhere never displaces the name already synced',
      { caseInsensitive: true, base: [base('notes.txt', 'X', 'e')], local: [local('notes.txt', 'X')], remote: [remote('notes.txt', 'e'), remote('Notes.txt', 'e9')] },
      [skip('Notes.txt')],
    ],
    [
      'a remote twin still holding the base ETag (renamed elsewhere) wins over a clashing upload',
      { caseInsensitive: true, base: [base('notes.txt', 'X', 'e')], local: [local('notes.txt', 'X')], remote: [remote('Notes.txt', 'e'), remote('NOTES.txt', 'e9')] },
      [skip('NOTES.txt')],
    ],
    [
      'an upload by case that stopped before the trash move → the same upload again, the new key\'s clash covered',
      { caseInsensitive: true, base: [base('Readme.md', 'X', 'e')], local: [local('README.md', 'Y')], remote: [remote('Readme.md', 'e'), remote('README.md', 'e5')] },
      [{ type: 'upload', path: 'README.md', reason: 'changed', replacesKey: 'Readme.md', replacesBase: 'Readme.md' }],
    ],
    [
      'the same with a third spelling in the base → the old key is found by its ETag',
      { caseInsensitive: true, base: [base('README.md', 'X', 'e')], local: [local('readme.md', 'Y')], remote: [remote('Readme.md', 'e'), remote('readme.md', 'e5')] },
      [{ type: 'upload', path: 'readme.md', reason: 'changed', replacesKey: 'Readme.md', replacesBase: 'README.md' }],
    ],
    [
      'NFC and NFD twins on a disk that keeps both → one syncs, the other skips',
      { local: [local('caf\u00e9', 'X'), local('cafe\u0301', 'Y')] },
      [{ type: 'upload', path: 'cafe\u0301', reason: 'new' }, skip('caf\u00e9')],
    ],
    ['a remote key not in NFC (written by another tool) → skip', { remote: [remote('cafe\u0301', 'e')] }, [skip('cafe\u0301')]],
    ['a remote key escaping the folder → skip', { remote: [remote('../outside', 'e'), remote('a/../../b', 'e')] }, [skip('../outside'), skip('a/../../b')]],
    ['a remote key with a backslash → skip', { remote: [remote('..\\x', 'e')] }, [skip('..\\x')]],
    ['an S3 folder marker → ignored', { remote: [remote('photos/', 'e')] }, []],
    ['an unsafe base row → forget-base', { base: [base('/abs', 'X', 'e')] }, [{ type: 'forget-base', path: '/abs' }]],
  ])('%s', (_case, sides, expected) => {
    expect(plan(sides)).toEqual(expected);
  });

  it('says why a clash is skipped and names the winner', () => {
    const [, skipped] = plan({ caseInsensitive: true, remote: [remote('A.txt', 'e1'), remote('a.txt', 'e2')] });
    expect(skipped).toMatchObject({ type: 'skip', path: 'a.txt' });
    expect(skipped?.type === 'skip' && skipped.reason).toMatch(/"A\.txt"/);
  });
});

describe('planSync: determinism', () => {
  it('gives the same sorted plan for every order of the same input', () => {
    const sides = {
      base: [base('m', 'M', 'em'), base('k/1', 'K', 'ek'), base('z', 'Z', 'ez'), base('q', 'Q', 'eq')],
      local: [local('m', 'M2'), local('a', 'A'), local('k/2', 'K'), local('z', 'Z'), local('\u{1F600}', 'E')],
      remote: [remote('m', 'em'), remote('k/1', 'ek'), remote('z', 'ez2'), remote('y', 'ey'), remote('\uE000', 'ep')],
    };
    const expected = plan(sides);
    expect(expected).toEqual([
      { type: 'upload', path: 'a', reason: 'new' },
      { type: 'rename-remote', from: 'k/1', to: 'k/2' },
      { type: 'upload', path: 'm', reason: 'changed' },
      { type: 'forget-base', path: 'q' },
      { type: 'download', path: 'y', reason: 'new' },
      { type: 'download', path: 'z', reason: 'changed' },
      { type: 'download', path: '\uE000', reason: 'new' },
      { type: 'upload', path: '\u{1F600}', reason: 'new' },
    ]);
    const random = seededRandom(7);
    const shuffle = <T>(list: readonly T[]): T[] => {
      const copy = [...list];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    };
    for (let round = 0; round < 20; round++) {
      expect(plan({ base: shuffle(sides.base), local: shuffle(sides.local), remote: shuffle(sides.remote) })).toEqual(expected);
    }
  });
});
