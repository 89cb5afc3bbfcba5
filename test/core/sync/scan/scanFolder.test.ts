import { appendFileSync, mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanFolder } from '../../../../main/core/sync/scan/scanFolder.js';
import type { ScanProgress } from '../../../../main/core/sync/scan/scanTypes.js';
import { FOLDER, ScanFixture, sha256 } from './scanFixture.js';

let fx: ScanFixture;
beforeEach(() => {
  fx = new ScanFixture();
});
afterEach(() => fx.cleanup());

describe('scanFolder', () => {
  it('hashes every file on the first scan and records exactly what it returns', async () => {
    fx.write('a.txt', 'alpha');
    fx.write('docs/b.md', 'bravo');
    fx.write('docs/deep/c.bin', Buffer.alloc(3 * 1024 * 1024 + 5, 7));
    fx.write('empty', '');
    const result = await scanFolder(fx.root, fx.options());
    expect(result.rootMissing).toBe(false);
    expect(result.hashed).toBe(4);
    expect(result.bytesHashed).toBe(5 + 5 + 3 * 1024 * 1024 + 5);
    expect(result.files.map((f) => [f.path, f.sha256])).toEqual([
      ['a.txt', sha256('alpha')],
      ['docs/b.md', sha256('bravo')],
      ['docs/deep/c.bin', sha256(Buffer.alloc(3 * 1024 * 1024 + 5, 7))],
      ['empty', sha256('')],
    ]);
    const stored = fx.index.localEntries(FOLDER);
    for (const file of result.files) expect(stored.get(file.path)).toEqual({ size: file.size, mtimeMs: file.mtimeMs, inode: file.inode, sha256: file.sha256 });
    expect(stored.size).toBe(4);
    expect(result).toMatchObject({ errors: [], skipped: [], unstable: [], vanished: [] });
  });

  it('rehashes only files whose size, mtime or inode changed', async () => {
    fx.write('same.txt', 'unchanged');
    fx.write('edited.txt', 'v1');
    fx.write('touched.txt', 'same bytes');
    fx.write('replaced.txt', 'same size A');
    await scanFolder(fx.root, fx.options());

    expect((await scanFolder(fx.root, fx.options())).hashed).toBe(0);

    fx.write('edited.txt', 'version 2');
    fx.shiftMtime('touched.txt', 5_000);
    // Same size and (after the shift back) same mtime, but a new inode: an atomic save.
    const before = fx.index.localEntry(FOLDER, 'replaced.txt')!;
    fx.write('replaced.tmp', 'same size B');
    renameSync(fx.abs('replaced.tmp'), fx.abs('replaced.txt'));
    const when = new Date(before.mtimeMs);
    utimesSync(fx.abs('replaced.txt'), when, when);

    const result = await scanFolder(fx.root, fx.options());
    expect(result.hashed).toBe(3);
    const byPath = new Map(result.files.map((f) => [f.path, f]));
    expect(byPath.get('edited.txt')?.sha256).toBe(sha256('version 2'));
    expect(byPath.get('touched.txt')?.sha256).toBe(sha256('same bytes'));
    expect(byPath.get('replaced.txt')?.sha256).toBe(sha256('same size B'));
    expect(fx.index.localEntry(FOLDER, 'touched.txt')?.mtimeMs).toBe(byPath.get('touched.txt')?.mtimeMs);
    expect((await scanFolder(fx.root, fx.options())).hashed).toBe(0);
  });

  it('clears files that vanished but keeps their synced base', async () => {
    fx.write('keep.txt', 'k');
    fx.write('gone.txt', 'g');
    fx.write('dir/inner.txt', 'i');
    await scanFolder(fx.root, fx.options());
    fx.index.setBase(FOLDER, { path: 'gone.txt', size: 1, sha256: sha256('g'), etag: '"e"', mtimeMs: 1 });
    unlinkSync(fx.abs('gone.txt'));
    rmSync(fx.abs('dir'), { recursive: true });
    const result = await scanFolder(fx.root, fx.options());
    expect(result.vanished).toEqual(['dir/inner.txt', 'gone.txt']);
    expect(result.files.map((f) => f.path)).toEqual(['keep.txt']);
    expect([...fx.index.localEntries(FOLDER).keys()]).toEqual(['keep.txt']);
    expect(fx.index.baseEntries(FOLDER).map((b) => b.path)).toEqual(['gone.txt']);
  });

  it('leaves out ignored paths, the trash and temp files, and drops entries that became ignored', async () => {
    fx.write('src/main.ts', 'code');
    fx.write('node_modules/pkg/index.js', 'dep');
    fx.write('logs/today.log', 'noise');
    fx.write('logs/keep.txt', 'kept');
    fx.write('.coffer-trash/old.txt', 'trashed');
    fx.write('src/.coffer-tmp-4f2a', 'partial download');
    const seen: [string, boolean][] = [];
    const ignore = (path: string, isDir: boolean): boolean => {
      seen.push([path, isDir]);
      return (isDir && path === 'node_modules') || (!isDir && path.endsWith('.log'));
    };
    const result = await scanFolder(fx.root, fx.options({ ignore }));
    expect(result.files.map((f) => f.path)).toEqual(['logs/keep.txt', 'src/main.ts']);
    expect(seen).toContainEqual(['node_modules', true]);
    expect(seen.some(([p]) => p.startsWith('node_modules/'))).toBe(false);
    expect(seen.some(([p]) => p.includes('.coffer-'))).toBe(false);

    const widened = await scanFolder(fx.root, fx.options({ ignore: (p, isDir) => ignore(p, isDir) || p === 'src' }));
    expect(widened.vanished).toEqual(['src/main.ts']);
    expect([...fx.index.localEntries(FOLDER).keys()]).toEqual(['logs/keep.txt']);
  });

  it('reports a missing root, or a root that is a file, and leaves the index untouched', async () => {
    fx.write('a.txt', 'a');
    fx.write('b/c.txt', 'c');
    await scanFolder(fx.root, fx.options());
    const before = fx.index.localEntries(FOLDER);
    rmSync(fx.root, { recursive: true });
    const missing = await scanFolder(fx.root, fx.options());
    expect(missing).toMatchObject({ rootMissing: true, files: [], vanished: [], errors: [{ path: '', code: 'ENOENT' }] });
    expect(fx.index.localEntries(FOLDER)).toEqual(before);
    writeFileSync(fx.root, 'not a directory');
    expect((await scanFolder(fx.root, fx.options())).rootMissing).toBe(true);
    expect(fx.index.localEntries(FOLDER)).toEqual(before);
  });

  it('does not record a file that changes while it is hashed, and keeps its last entry', async () => {
    const big = Buffer.alloc(4 * 1024 * 1024, 1);
    fx.write('growing.bin', big);
    fx.write('steady.txt', 'steady');
    await scanFolder(fx.root, fx.options());
    const recorded = fx.index.localEntry(FOLDER, 'growing.bin');
    fx.write('growing.bin', Buffer.alloc(4 * 1024 * 1024, 2));
    fx.shiftMtime('growing.bin', 3_000);
    let appended = false;
    const onProgress = (p: ScanProgress): void => {
      // Mid-hash (the first 1 MiB chunk is in): the writer appends, as a log file would.
      if (!appended && p.bytesHashed > 0) {
        appendFileSync(fx.abs('growing.bin'), 'more');
        appended = true;
      }
    };
    const result = await scanFolder(fx.root, fx.options({ onProgress }));
    expect(appended).toBe(true);
    expect(result.unstable).toEqual(['growing.bin']);
    expect(result.vanished).toEqual([]);
    expect(result.files.find((f) => f.path === 'growing.bin')).toEqual({ path: 'growing.bin', ...recorded });
    expect(fx.index.localEntry(FOLDER, 'growing.bin')).toEqual(recorded);

    const settled = await scanFolder(fx.root, fx.options());
    expect(settled.unstable).toEqual([]);
    expect(settled.files.find((f) => f.path === 'growing.bin')?.sha256).toBe(sha256(Buffer.concat([Buffer.alloc(4 * 1024 * 1024, 2), Buffer.from('more')])));
  });

  it('keeps an NFD name as the disk spells it and indexes it under its NFC key', async () => {
    const nfd = 'Cafe\u0301/Re\u0301sume\u0301.txt';
    expect(nfd).not.toBe(nfd.normalize('NFC'));
    fx.write(nfd, 'accent');
    const result = await scanFolder(fx.root, fx.options());
    expect(result.files.map((f) => f.path)).toEqual([nfd]);
    expect(fx.index.pathsWithKey(FOLDER, nfd.normalize('NFC'))).toEqual([nfd]);
    expect((await scanFolder(fx.root, fx.options())).hashed).toBe(0);
  });

  it('skips symbolic links without following them, and a file replaced by a link vanishes', async () => {
    fx.write('real.txt', 'real');
    fx.write('was-file.txt', 'soon a link');
    const outside = `${fx.dir}/outside`;
    mkdirSync(outside);
    writeFileSync(`${outside}/secret.txt`, 'must not sync');
    symlinkSync(outside, fx.abs('linked-dir'));
    symlinkSync(fx.abs('real.txt'), fx.abs('linked-file'));
    symlinkSync(`${fx.dir}/nowhere`, fx.abs('dangling'));
    await scanFolder(fx.root, fx.options());
    unlinkSync(fx.abs('was-file.txt'));
    symlinkSync(fx.abs('real.txt'), fx.abs('was-file.txt'));
    const result = await scanFolder(fx.root, fx.options());
    expect(result.files.map((f) => f.path)).toEqual(['real.txt']);
    expect(result.skipped).toEqual([
      { path: 'dangling', reason: 'symlink' },
      { path: 'linked-dir', reason: 'symlink' },
      { path: 'linked-file', reason: 'symlink' },
      { path: 'was-file.txt', reason: 'symlink' },
    ]);
    expect(result.vanished).toEqual(['was-file.txt']);
  });

  it('rescans 2,000 unchanged files without hashing any, and reports progress to the end', async () => {
    for (let i = 0; i < 2_000; i++) fx.write(`d${i % 20}/f${i}.txt`, `file ${i}`);
    const first = await scanFolder(fx.root, fx.options({ hashConcurrency: 4 }));
    expect(first.hashed).toBe(2_000);
    expect(fx.index.localEntries(FOLDER).size).toBe(2_000);
    const reports: ScanProgress[] = [];
    const again = await scanFolder(fx.root, fx.options({ onProgress: (p) => reports.push(p) }));
    expect(again.hashed).toBe(0);
    expect(again.bytesHashed).toBe(0);
    expect(again.files).toEqual(first.files);
    expect(reports.at(-1)).toEqual({ filesSeen: 2_000, filesHashed: 0, bytesHashed: 0 });
    expect(reports.map((r) => r.filesSeen)).toEqual([...reports.map((r) => r.filesSeen)].sort((a, b) => a - b));
  });

  it('on abort, rejects with the reason, keeps finished hashes and clears nothing', async () => {
    fx.write('old.txt', 'old');
    await scanFolder(fx.root, fx.options());
    unlinkSync(fx.abs('old.txt'));
    for (const name of ['a', 'b', 'c']) fx.write(`${name}.txt`, name);
    const controller = new AbortController();
    const reason = new Error('folder removed');
    const scan = scanFolder(fx.root, fx.options({
      signal: controller.signal,
      hashConcurrency: 1,
      onProgress: (p) => {
        if (p.filesHashed >= 1) controller.abort(reason);
      },
    }));
    await expect(scan).rejects.toBe(reason);
    const stored = fx.index.localEntries(FOLDER);
    expect(stored.has('old.txt')).toBe(true);
    expect(stored.has('a.txt')).toBe(true);
    expect(stored.has('c.txt')).toBe(false);
  });
});
