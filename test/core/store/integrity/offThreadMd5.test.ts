import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OffThreadMd5 } from '../../../../main/core/store/integrity/offThreadMd5.js';

async function hashInPieces(data: Buffer, piece: number): Promise<Buffer> {
  const md5 = new OffThreadMd5();
  for (let at = 0; at < data.length; at += piece) {
    md5.update(data.subarray(at, at + piece));
    const wait = md5.backlog();
    if (wait) await wait;
  }
  await md5.settle();
  return md5.digest();
}

describe('OffThreadMd5', () => {
  it('equals node:crypto MD5 for empty, small, batch-sized and large inputs in any chunking', async () => {
    for (const size of [0, 1, 256 * 1024, 256 * 1024 + 1, 20 * 1024 * 1024 + 7]) {
      const data = randomBytes(size);
      const expected = createHash('md5').update(data).digest();
      for (const piece of [1000, 65536, 1024 * 1024]) {
        if (size > 1024 * 1024 && piece === 1000) continue;
        expect((await hashInPieces(data, piece)).equals(expected), `size ${size} piece ${piece}`).toBe(true);
      }
    }
  });

  it('keeps concurrent streams apart', async () => {
    const inputs = Array.from({ length: 6 }, (_, i) => randomBytes(3 * 1024 * 1024 + i));
    const digests = await Promise.all(inputs.map((data) => hashInPieces(data, 100_000)));
    digests.forEach((digest, i) => expect(digest.equals(createHash('md5').update(inputs[i]!).digest())).toBe(true));
  });

  it('asks the caller to wait once too much is queued, then lets it go on', async () => {
    const md5 = new OffThreadMd5();
    const piece = randomBytes(1024 * 1024);
    let waited = 0;
    for (let i = 0; i < 40; i++) {
      md5.update(piece);
      const wait = md5.backlog();
      if (wait) {
        waited++;
        await wait;
      }
    }
    await md5.settle();
    expect(waited).toBeGreaterThan(0);
    const expected = createHash('md5');
    for (let i = 0; i < 40; i++) expected.update(piece);
    expect(md5.digest().equals(expected.digest())).toBe(true);
  });

  it('refuses digest() before settle() and forgets discarded streams', async () => {
    const md5 = new OffThreadMd5();
    md5.update(Buffer.from('abc'));
    expect(() => md5.digest()).toThrow(/settle/);
    md5.discard();
    const again = new OffThreadMd5();
    again.update(Buffer.from('abc'));
    await again.settle();
    expect(again.digest().toString('hex')).toBe('900150983cd24fb0d6963f7d28e17f72');
  });
});

describe('the hashing thread', () => {
  it('never keeps a finished process alive', async () => {
    const { execFile } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const moduleUrl = new URL('../../../../main/core/store/integrity/offThreadMd5.ts', import.meta.url).href;
    const script = `const { OffThreadMd5 } = await import(${JSON.stringify(moduleUrl)});
      const md5 = new OffThreadMd5(); md5.update(Buffer.alloc(3 << 20, 7)); await md5.settle();
      console.log(md5.digest().toString('hex'));`;
    const started = Date.now();
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../../../..', import.meta.url)), timeout: 30_000 }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      ),
    );
    expect(output.trim()).toBe(createHash('md5').update(Buffer.alloc(3 << 20, 7)).digest('hex'));
    // It exited by itself, well before the 30 s kill.
    expect(Date.now() - started).toBeLessThan(25_000);
  });
});
