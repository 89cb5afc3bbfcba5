// Reading a small file whole for upload: the bytes come only while the file is the very one the scan hashed.
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readIfUnchanged, readIfUnchangedSync, ScannedFileReader } from '../../../../main/core/sync/folder/readScannedFile.js';
import { CALLING_THREAD_CALL_BUDGET_MS, CallingThreadBudget } from '../../../../main/core/sync/scan/callingThreadBudget.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coffer-read-scanned-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the file and records it as a scan would: size, mtime, inode and the content's hash. */
function scanned(name: string, content: string | Buffer): { file: string; record: { size: number; mtimeMs: number; inode: number; sha256: string } } {
  const file = join(dir, name);
  writeFileSync(file, content);
  const st = lstatSync(file);
  return { file, record: { size: st.size, mtimeMs: st.mtimeMs, inode: st.ino, sha256: createHash('sha256').update(content).digest('hex') } };
}

type Reader = (file: string, scanned: Parameters<typeof readIfUnchanged>[1]) => Promise<Buffer | undefined>;
const READERS: [string, Reader][] = [
  ['readIfUnchanged (thread pool)', readIfUnchanged],
  ['readIfUnchangedSync (calling thread)', async (file, scanned) => readIfUnchangedSync(file, scanned)],
];

describe.each(READERS)('%s', (_name, readIfUnchanged) => {
  it('returns the bytes of an unchanged file, an empty one included', async () => {
    const { file, record } = scanned('a.txt', 'hello, vault');
    expect((await readIfUnchanged(file, record))?.toString()).toBe('hello, vault');
    const empty = scanned('empty', '');
    expect(await readIfUnchanged(empty.file, empty.record)).toEqual(Buffer.alloc(0));
  });

  it('refuses bytes rewritten in place with the same size and mtime: the hash differs', async () => {
    const { file, record } = scanned('a.txt', 'AAAA');
    writeFileSync(file, 'BBBB');
    utimesSync(file, record.mtimeMs / 1000, record.mtimeMs / 1000);
    expect(lstatSync(file).ino).toBe(record.inode);
    expect(await readIfUnchanged(file, record)).toBeUndefined();
  });

  it('refuses a file that grew, shrank, or was replaced by another file', async () => {
    const grown = scanned('grown', 'abc');
    writeFileSync(grown.file, 'abcdef');
    expect(await readIfUnchanged(grown.file, grown.record)).toBeUndefined();
    const replaced = scanned('replaced', 'same');
    const other = join(dir, 'other');
    writeFileSync(other, 'same');
    renameSync(other, replaced.file);
    expect(await readIfUnchanged(replaced.file, replaced.record)).toBeUndefined();
  });

  it('refuses a path that vanished, became a directory, or became a link to the scanned file itself', async () => {
    const gone = scanned('gone', 'x');
    unlinkSync(gone.file);
    expect(await readIfUnchanged(gone.file, gone.record)).toBeUndefined();
    const nowDir = scanned('now-dir', 'x');
    unlinkSync(nowDir.file);
    mkdirSync(nowDir.file);
    expect(await readIfUnchanged(nowDir.file, nowDir.record)).toBeUndefined();
    // The scanned file moved away and a link to it took its name: same inode behind the link, still refused.
    const linked = scanned('linked', 'payload');
    const moved = join(dir, 'moved');
    renameSync(linked.file, moved);
    symlinkSync(moved, linked.file);
    expect(await readIfUnchanged(linked.file, linked.record)).toBeUndefined();
  });
});

describe('ScannedFileReader', () => {
  it('reads on the calling thread while reads are fast, and moves to the thread pool after one slow read', async () => {
    const { file, record } = scanned('a.txt', 'small file');
    let now = 0;
    let step = 0;
    // Each read is timed by two clock calls: the first read seems fast, the second over budget.
    const reader = new ScannedFileReader(new CallingThreadBudget(() => (now += step)));
    expect((await reader.read(file, record))?.toString()).toBe('small file');
    expect(reader.usesThreadPool).toBe(false);
    step = CALLING_THREAD_CALL_BUDGET_MS + 1;
    expect((await reader.read(file, record))?.toString()).toBe('small file');
    expect(reader.usesThreadPool).toBe(true);
    writeFileSync(file, 'changed!!!');
    expect(await reader.read(file, record)).toBeUndefined();
  });
});
