// Conformance cases on file transfers: sizes around the multipart threshold, progress, aborts, files that shrink, throttles.
import { readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Throttle } from '../../../../main/core/sync/remote/throttle.js';
import type { SuiteContext } from './objectStoreSuite.js';
import { expectProgress, expectRemoteError, patternBytes, VirtualClock } from './remoteSupport.js';

const MIB5 = 5 * 1024 * 1024;

/** Registers these cases inside the suite's describe block. */
export function transferCases(ctx: SuiteContext): void {
  const SIZES: [string, number][] = [
    ['0 bytes', 0],
    ['1 byte', 1],
    ['exactly the threshold', MIB5],
    ['the threshold + 1', MIB5 + 1],
    ['3.5 parts', MIB5 * 3.5],
  ];

  for (const [label, size] of SIZES) {
    it(`puts and gets a file of ${label} in every mode, progress rising to the size, multipart from the threshold on`, async () => {
      const store = await ctx.open({ multipartThresholdBytes: MIB5, partSizeBytes: MIB5 });
      const bytes = patternBytes(size, size + 3);
      const source = ctx.dir.file(`source-${size}`, bytes);
      for (const [mode, encryption] of ctx.modes) {
        const putReports: number[] = [];
        const put = await store.putFile(`files/${size}`, source, { encryption, fingerprint: `fp-${size}`, onProgress: (n) => putReports.push(n) });
        expectProgress(putReports, size);
        const parts = size >= MIB5 ? Math.ceil(size / MIB5) : 0;
        expect(put.etag).toMatch(parts ? new RegExp(`^"[0-9a-f]{32}-${parts}"$`) : /^"[0-9a-f]{32}"$/);
        const getReports: number[] = [];
        const out = join(ctx.dir.path, `download-${size}-${mode}`);
        const head = await store.getFile(`files/${size}`, out, { encryption, onProgress: (n) => getReports.push(n) });
        expectProgress(getReports, size);
        expect(head).toMatchObject({ key: `files/${size}`, size, etag: put.etag });
        expect(readFileSync(out).equals(bytes), mode).toBe(true);
      }
    });
  }

  it('aborts a download when its signal fires mid-way (skip, Aborted)', async () => {
    const store = await ctx.open();
    await store.putFile('dl', ctx.dir.file('dl', patternBytes(2 * 1024 * 1024, 8)), { encryption: { mode: 'sse-s3' }, fingerprint: 'dl' });
    const controller = new AbortController();
    await expectRemoteError(
      store.getFile('dl', join(ctx.dir.path, 'dl-out'), { signal: controller.signal, onProgress: () => controller.abort() }),
      'skip',
      'Aborted',
    );
    await expectRemoteError(store.getBytes('dl', { signal: controller.signal }), 'skip', 'Aborted');
  });

  for (const [label, threshold] of [['single PUT', 64 * MIB5], ['multipart', MIB5]] as const) {
    it(`fails a ${label} of a file that shrinks while it is read as skip LocalFileChanged, storing nothing`, async () => {
      const store = await ctx.open({ multipartThresholdBytes: threshold, partSizeBytes: MIB5 });
      const file = ctx.dir.file(`shrinking-${threshold}`, patternBytes(MIB5 * 3, 6));
      let truncated = false;
      const onProgress = (): void => {
        if (truncated) return;
        truncated = true;
        truncateSync(file, 0);
      };
      await expectRemoteError(store.putFile('shrinks', file, { encryption: { mode: 'sse-s3' }, fingerprint: 'shrinks', onProgress }), 'skip', 'LocalFileChanged');
      expect(await store.head('shrinks')).toBeUndefined();
    });
  }

  it('waits as long as the upload and download throttles demand (virtual clock)', async () => {
    const clock = new VirtualClock();
    const rate = 1024 * 1024;
    const up = new Throttle({ bytesPerSecond: rate, burstBytes: 64 * 1024, clock });
    const down = new Throttle({ bytesPerSecond: rate / 2, burstBytes: 64 * 1024, clock });
    const store = await ctx.open({ throttle: { up, down }, multipartThresholdBytes: MIB5, partSizeBytes: MIB5 });
    const size = MIB5 + 100_000;
    const bytes = patternBytes(size, 4);
    await store.putFile('slow', ctx.dir.file('slow', bytes), { encryption: { mode: 'sse-s3' }, fingerprint: 'slow' });
    const upMs = clock.now();
    expect(upMs).toBeGreaterThanOrEqual(((size - 64 * 1024) / rate) * 1000);
    expect(upMs).toBeLessThanOrEqual((size / rate) * 1000 + 50);
    await store.getFile('slow', join(ctx.dir.path, 'slow-down'));
    const downMs = clock.now() - upMs;
    expect(downMs).toBeGreaterThanOrEqual(((size - 64 * 1024) / (rate / 2)) * 1000);
    expect(readFileSync(join(ctx.dir.path, 'slow-down')).equals(bytes)).toBe(true);
  });
}
