import { mkdirSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanFolder } from '../../../../main/core/sync/scan/scanFolder.js';
import { scanPaths } from '../../../../main/core/sync/scan/scanPaths.js';
import { FOLDER, ScanFixture, sha256 } from './scanFixture.js';

let fx: ScanFixture;
beforeEach(async () => {
  fx = new ScanFixture();
  fx.write('top.txt', 'top');
  fx.write('a/one.txt', 'one');
  fx.write('a/two.txt', 'two');
  fx.write('a/sub/three.txt', 'three');
  fx.write('b/four.txt', 'four');
  await scanFolder(fx.root, fx.options());
});
afterEach(() => fx.cleanup());

const storedPaths = (): string[] => [...fx.index.localEntries(FOLDER).keys()].sort();

describe('scanPaths', () => {
  it('re-examines only the named files, hashing just the changed one', async () => {
    fx.write('a/one.txt', 'one, edited');
    fx.write('b/four.txt', 'four, edited but not named');
    const result = await scanPaths(fx.root, ['a/one.txt', 'a/two.txt'], fx.options());
    expect(result.hashed).toBe(1);
    expect(result.files.map((f) => [f.path, f.sha256])).toEqual([
      ['a/one.txt', sha256('one, edited')],
      ['a/two.txt', sha256('two')],
    ]);
    expect(fx.index.localEntry(FOLDER, 'b/four.txt')?.sha256).toBe(sha256('four'));
  });

  it('walks a named directory, finding new files and clearing vanished ones under it only', async () => {
    fx.write('a/sub/new.txt', 'new');
    unlinkSync(fx.abs('a/two.txt'));
    unlinkSync(fx.abs('b/four.txt'));
    const result = await scanPaths(fx.root, ['a', 'a/sub/new.txt'], fx.options());
    expect(result.files.map((f) => f.path)).toEqual(['a/one.txt', 'a/sub/new.txt', 'a/sub/three.txt']);
    expect(result.hashed).toBe(1);
    expect(result.vanished).toEqual(['a/two.txt']);
    expect(storedPaths()).toEqual(['a/one.txt', 'a/sub/new.txt', 'a/sub/three.txt', 'b/four.txt', 'top.txt']);
  });

  it('clears everything under a deleted directory, and a file that became a directory', async () => {
    rmSync(fx.abs('a'), { recursive: true });
    unlinkSync(fx.abs('top.txt'));
    fx.write('top.txt/inside.txt', 'now a directory');
    const result = await scanPaths(fx.root, ['a', 'top.txt'], fx.options());
    expect(result.vanished).toEqual(['a/one.txt', 'a/sub/three.txt', 'a/two.txt', 'top.txt']);
    expect(result.files.map((f) => f.path)).toEqual(['top.txt/inside.txt']);
    expect(storedPaths()).toEqual(['b/four.txt', 'top.txt/inside.txt']);
  });

  it('treats paths in ignored or internal directories, or behind a link, as outside the folder', async () => {
    fx.write('.coffer-trash/top.txt', 'trashed');
    fx.write('a/.coffer-tmp-1', 'partial');
    rmSync(fx.abs('b'), { recursive: true });
    mkdirSync(`${fx.dir}/elsewhere`);
    fx.write('../elsewhere/four.txt', 'outside');
    symlinkSync(`${fx.dir}/elsewhere`, fx.abs('b'));
    const ignore = (path: string, isDir: boolean): boolean => isDir && path === 'a/sub';
    const result = await scanPaths(fx.root, ['.coffer-trash/top.txt', 'a/.coffer-tmp-1', 'a/sub/three.txt', 'b/four.txt'], fx.options({ ignore }));
    expect(result.files).toEqual([]);
    expect(result.hashed).toBe(0);
    expect(result.vanished).toEqual(['a/sub/three.txt', 'b/four.txt']);
    expect(storedPaths()).toEqual(['a/one.txt', 'a/two.txt', 'top.txt']);
  });

  it('reports a named symbolic link as skipped and a missing root without touching the index', async () => {
    symlinkSync(fx.abs('top.txt'), fx.abs('link'));
    expect((await scanPaths(fx.root, ['link'], fx.options())).skipped).toEqual([{ path: 'link', reason: 'symlink' }]);
    const before = fx.index.localEntries(FOLDER);
    rmSync(fx.root, { recursive: true });
    const result = await scanPaths(fx.root, ['a', 'top.txt'], fx.options());
    expect(result.rootMissing).toBe(true);
    expect(fx.index.localEntries(FOLDER)).toEqual(before);
  });

  it('refuses paths that are not folder-relative before reading anything', async () => {
    for (const bad of ['', '/abs', 'a/', 'a//b', './a', 'a/../b']) {
      await expect(scanPaths(fx.root, ['top.txt', bad], fx.options())).rejects.toThrow(TypeError);
    }
  });
});
