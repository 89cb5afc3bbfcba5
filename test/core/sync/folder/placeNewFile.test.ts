// Placing a downloaded file under a name that must still be free: real files, real hard links.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { placeNewFile } from '../../../../main/core/sync/folder/placeNewFile.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coffer-place-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('placeNewFile', () => {
  it('gives the downloaded file the free name, keeping its inode', async () => {
    const temp = join(dir, '.coffer-tmp-1');
    const target = join(dir, 'report.txt');
    writeFileSync(temp, 'downloaded');
    const inode = statSync(temp).ino;
    expect(await placeNewFile(temp, target)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('downloaded');
    expect(statSync(target).ino).toBe(inode);
  });

  it('leaves a file that took the name first exactly as it is', async () => {
    const temp = join(dir, '.coffer-tmp-2');
    const target = join(dir, 'report.txt');
    writeFileSync(temp, 'downloaded');
    writeFileSync(target, 'typed by the user a moment ago');
    expect(await placeNewFile(temp, target)).toBe(false);
    expect(readFileSync(target, 'utf8')).toBe('typed by the user a moment ago');
    expect(existsSync(temp)).toBe(true);
  });

  it('reports a missing temp file instead of taking it for a taken name', async () => {
    await expect(placeNewFile(join(dir, '.coffer-tmp-gone'), join(dir, 'x'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});
