// An object becomes visible only once its bytes are durable: the system calls of a real store, traced with strace, show the
// blob file and its directory fsynced before the SQLite commit that names the object.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTracedRoundTrip } from '../support/tracedStore.js';

/** Index of the first line at or after `from` that matches, or -1. */
function firstFrom(lines: readonly string[], from: number, match: (line: string) => boolean): number {
  for (let i = Math.max(0, from); i < lines.length; i++) if (match(lines[i]!)) return i;
  return -1;
}

const isSyncOf = (path: string) => (line: string): boolean => /\b(fsync|fdatasync)\(\d+</.test(line) && line.includes(`<${path}>`);

describe('a PUT of a large object', () => {
  it('fsyncs the blob file and its directory before the commit that makes the object visible', async () => {
    // The commit and the fsyncs run on libuv's pool, which strace -f follows.
    await withTracedRoundTrip({ straceArgs: ['-e', 'trace=openat,fsync,fdatasync'], bodyBytes: 3 * 1024 * 1024 }, ({ lines, blob, dataDir }) => {
      const blobDir = join(blob, '..');
      const wal = join(dataDir, 'store.db-wal');
      const opened = firstFrom(lines, 0, (l) => l.includes('openat(') && l.includes(blob) && l.includes('O_CREAT'));
      expect(opened, 'the blob file is created').toBeGreaterThanOrEqual(0);
      const blobSynced = lines.findLastIndex(isSyncOf(blob));
      const dirSynced = firstFrom(lines, opened, isSyncOf(blobDir));
      const committed = firstFrom(lines, opened, isSyncOf(wal));
      expect(blobSynced, 'the blob file is fsynced').toBeGreaterThan(opened);
      expect(dirSynced, 'the directory naming the blob is fsynced').toBeGreaterThan(opened);
      expect(committed, 'the object row is committed (WAL fsync)').toBeGreaterThan(opened);
      expect(blobSynced).toBeLessThan(committed);
      expect(dirSynced).toBeLessThan(committed);
      expect(readdirSync(blobDir)).toContain(blob.split('/').at(-1));
    });
  });
});
