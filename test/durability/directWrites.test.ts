// Large objects bypass the page cache: the system calls of a real store, traced with strace, show the blob file opened with
// O_DIRECT, written in whole aligned blocks from aligned memory, cut back to its size, fsynced, and read back directly.
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withTracedRoundTrip, type TracedRoundTrip } from '../support/tracedStore.js';

const BLOCK = 4096;

/**
 * A 3 MiB + 5 byte object (a tail that is not a whole block) stored and read back under strace.
 * raw=pwrite64,pread64: the buffer arguments as addresses, to check their alignment. Calls other
 * threads interrupt are printed '<unfinished ...>', so lines are matched on their start.
 */
function tracedPutAndGet(storeArgs: string[], inspect: (trip: TracedRoundTrip) => void): Promise<void> {
  return withTracedRoundTrip(
    {
      straceArgs: ['-e', 'trace=openat,close,pwrite64,pread64,writev,ftruncate,fsync', '-e', 'raw=pwrite64,pread64'],
      storeArgs,
      bodyBytes: 3 * 1024 * 1024 + 5,
    },
    inspect,
  );
}

interface Opened {
  line: number;
  fd: number;
}

/** The descriptor an openat returned: on its own line, or on the same thread's 'resumed' line when another thread interrupted it. */
function returnedFd(lines: readonly string[], line: number): number | undefined {
  const own = /= (\d+)</.exec(lines[line]!)?.[1];
  if (own) return Number(own);
  const thread = lines[line]!.split(' ')[0];
  const resumed = lines.slice(line + 1).find((l) => l.startsWith(`${thread} `) && l.includes('<... openat resumed>'));
  const fd = resumed && /= (\d+)</.exec(resumed)?.[1];
  return fd ? Number(fd) : undefined;
}

/** Each openat of `path` whose flags match: where in the trace, and the descriptor it returned. */
function openings(lines: readonly string[], path: string, flags: RegExp): Opened[] {
  const found: Opened[] = [];
  lines.forEach((l, line) => {
    if (!l.includes('openat(') || !l.includes(`"${path}"`) || !flags.test(l)) return;
    const fd = returnedFd(lines, line);
    if (fd !== undefined) found.push({ line, fd });
  });
  return found;
}

/** The raw pwrite64/pread64 calls on an opened descriptor until it is closed (descriptors are reused): [buffer address, count, offset]. */
function rawCalls(lines: readonly string[], call: string, { line, fd }: Opened): number[][] {
  const pattern = new RegExp(`${call}\\(0x${fd.toString(16)}, 0x([0-9a-f]+), 0x([0-9a-f]+), (?:0x)?([0-9a-f]+)`);
  const calls: number[][] = [];
  for (const l of lines.slice(line + 1)) {
    if (l.includes(`close(${fd}<`)) break;
    const m = pattern.exec(l);
    if (m) calls.push([m[1]!, m[2]!, m[3]!].map((h) => Number.parseInt(h, 16)));
  }
  return calls;
}

describe('a large object on a file system that takes O_DIRECT', () => {
  it.runIf(process.platform === 'linux')('is written and read in whole aligned blocks, past the page cache, and cut to its exact size', async () => {
    await tracedPutAndGet([], ({ lines, blob }) => {
      const [created] = openings(lines, blob, /O_WRONLY\|O_CREAT\|O_EXCL\|O_DIRECT/);
      expect(created, 'the blob file is created with O_DIRECT').toBeDefined();
      const writeFd = created!.fd;
      const writes = rawCalls(lines, 'pwrite64', created!);
      expect(writes.length).toBeGreaterThan(1);
      for (const [address, count, offset] of writes) {
        expect(address! % BLOCK, 'buffer address aligned').toBe(0);
        expect(count! % BLOCK, 'length in whole blocks').toBe(0);
        expect(offset! % BLOCK, 'offset aligned').toBe(0);
      }
      const size = statSync(blob).size;
      expect(size % BLOCK, 'the ciphertext does not end on a block (the test needs a tail)').not.toBe(0);
      expect(lines.some((l) => l.includes(`ftruncate(${writeFd}<${blob}>, ${size}`)), 'the padded tail is cut back').toBe(true);
      expect(lines.some((l) => l.includes(`fsync(${writeFd}<${blob}>`)), 'the blob is fsynced').toBe(true);

      const readOpens = openings(lines, blob, /O_RDONLY\|O_DIRECT/);
      expect(readOpens.length, 'the GET opens the blob with O_DIRECT').toBeGreaterThan(0);
      const reads = readOpens.flatMap((opened) => rawCalls(lines, 'pread64', opened));
      expect(reads.length).toBeGreaterThan(1);
      for (const [address, count, offset] of reads) expect([address! % BLOCK, count! % BLOCK, offset! % BLOCK]).toEqual([0, 0, 0]);
    });
  });

  it('goes through the page cache when told to (--no-direct-io)', async () => {
    await tracedPutAndGet(['--no-direct-io'], ({ lines, blob }) => {
      expect(lines.some((l) => l.includes(`"${blob}"`) && l.includes('O_DIRECT'))).toBe(false);
      expect(lines.some((l) => / writev\(\d+</.test(l) && l.includes(`<${blob}>`)), 'the blob is written with writev').toBe(true);
    });
  });
});
