import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HASH_CHUNK_BYTES, hashFile } from '../../../../main/core/sync/scan/hashFile.js';
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
