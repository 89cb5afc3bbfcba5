// Hashing a file: in bounded chunks on the thread pool, or on the calling thread for small files, with the same results.
import { lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPath, hashPathSync } from '../../../../main/core/sync/scan/examineFile.js';
import { HASH_CHUNK_BYTES, hashFile, hashFileSync } from '../../../../main/core/sync/scan/hashFile.js';
import { sha256 } from './scanFixture.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coffer-hash-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('hashFile', () => {
  it('hashes a multi-chunk file in chunks no larger than the bound', async () => {
    const content = Buffer.alloc(2 * HASH_CHUNK_BYTES + 3, 9);
    writeFileSync(join(dir, 'f'), content);
    const chunks: number[] = [];
    const digest = await hashFile(join(dir, 'f'), content.length, { onBytes: (n) => chunks.push(n) });
    expect(digest).toEqual({ sha256: sha256(content), bytesRead: content.length });
    expect(Math.max(...chunks)).toBeLessThanOrEqual(HASH_CHUNK_BYTES);
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(content.length);
  });

  it('reads one byte past a smaller expected size and no further, and reports a shorter file as such', async () => {
    writeFileSync(join(dir, 'f'), 'twelve bytes');
    expect((await hashFile(join(dir, 'f'), 5)).bytesRead).toBe(6);
    expect((await hashFile(join(dir, 'f'), 100)).bytesRead).toBe(12);
  });

  it('rejects with the file system error or the abort reason', async () => {
    await expect(hashFile(join(dir, 'missing'), 1)).rejects.toMatchObject({ code: 'ENOENT' });
    writeFileSync(join(dir, 'f'), 'x');
    const reason = new Error('stop');
    await expect(hashFile(join(dir, 'f'), 1, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});

describe('hashFileSync', () => {
  it('gives the same digest and byte counts as hashFile, for an empty, a small and a multi-chunk file', async () => {
    for (const content of [Buffer.alloc(0), Buffer.from('twelve bytes'), Buffer.alloc(HASH_CHUNK_BYTES + 7, 3)]) {
      writeFileSync(join(dir, 'f'), content);
      const chunks: number[] = [];
      expect(hashFileSync(join(dir, 'f'), content.length, (n) => chunks.push(n))).toEqual(await hashFile(join(dir, 'f'), content.length));
      expect(chunks.reduce((a, b) => a + b, 0)).toBe(content.length);
    }
    // A file longer than expected: one byte past the expected size, as hashFile reads.
    expect(hashFileSync(join(dir, 'f'), 5).bytesRead).toBe(6);
  });

  it('throws the file system error', () => {
    expect(() => hashFileSync(join(dir, 'missing'), 1)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describe('hashPathSync', () => {
  it('agrees with hashPath: hashed, unstable when the file is longer than stat said, gone when it vanished', async () => {
    const file = join(dir, 'f');
    writeFileSync(file, 'stable content');
    const before = lstatSync(file);
    const hashed = hashPathSync(file, 'f', before);
    expect(hashed).toEqual(await hashPath(file, 'f', before, {}));
    expect(hashed).toMatchObject({ kind: 'hashed', file: { sha256: sha256(Buffer.from('stable content')), size: before.size } });
    writeFileSync(file, 'stable content, then more');
    expect(hashPathSync(file, 'f', before)).toEqual({ kind: 'unstable' });
    expect(await hashPath(file, 'f', before, {})).toEqual({ kind: 'unstable' });
    rmSync(file);
    expect(hashPathSync(file, 'f', before)).toEqual({ kind: 'gone' });
  });
});
