// Conformance cases on resumable multipart uploads: resume after an interruption, fresh starts, orphan cleanup.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { MemoryUploadLedger } from '../../../../main/core/sync/remote/memoryUploadLedger.js';
import type { ObjectEncryption, UploadLedger } from '../../../../main/core/sync/remote/objectStore.js';
import type { SuiteContext } from './objectStoreSuite.js';
import { AbortingLedger, expectProgress, expectRemoteError, patternBytes } from './remoteSupport.js';

const MIB5 = 5 * 1024 * 1024;

/** Registers these cases inside the suite's describe block. */
export function multipartCases(ctx: SuiteContext): void {
  it('resumes an interrupted multipart upload, sending only the parts the ledger lacks', async () => {
    const bucket = ctx.newBucket();
    const size = MIB5 * 5.5;
    const bytes = patternBytes(size, 77);
    const source = ctx.dir.file('resume', bytes);
    const controller = new AbortController();
    const ledger = new AbortingLedger(controller, 2);
    const setup = { bucket, ledger, multipartThresholdBytes: MIB5, partSizeBytes: MIB5, concurrency: 2 };
    const encryption: ObjectEncryption = { mode: 'sse-c', key: ctx.keyA };
    const first = await ctx.open(setup);
    await expectRemoteError(first.putFile('big', source, { encryption, fingerprint: 'v1', signal: controller.signal }), 'skip', 'Aborted');
    const checkpoint = ledger.find('big');
    expect(checkpoint?.parts.length).toBeGreaterThanOrEqual(2);
    expect(checkpoint!.parts.length).toBeLessThan(6);
    expect(await first.head('big', encryption)).toBeUndefined();
    await first.close();

    const restarted = await ctx.open(setup);
    const before = ctx.target.uploadPartsSent();
    const reports: number[] = [];
    const put = await restarted.putFile('big', source, { encryption, fingerprint: 'v1', onProgress: (n) => reports.push(n) });
    expect(ctx.target.uploadPartsSent() - before).toBe(6 - checkpoint!.parts.length);
    expect(put.etag).toMatch(/-6"$/);
    expect(reports[0]).toBe(checkpoint!.parts.reduce((sum, p) => sum + p.size, 0));
    expectProgress(reports, size);
    expect(ledger.find('big')).toBeUndefined();
    const out = join(ctx.dir.path, 'resumed');
    await restarted.getFile('big', out, { encryption });
    expect(readFileSync(out).equals(bytes)).toBe(true);
    expect(await restarted.abortOrphanedUploads({ olderThanMs: 0 })).toBe(0);
  });

  it('starts afresh when the fingerprint changed, aborting the old upload', async () => {
    const bucket = ctx.newBucket();
    const controller = new AbortController();
    const ledger = new AbortingLedger(controller, 1);
    const setup = { bucket, ledger, multipartThresholdBytes: MIB5, partSizeBytes: MIB5, concurrency: 1 };
    const store = await ctx.open(setup);
    const v1 = ctx.dir.file('changing', patternBytes(MIB5 * 3, 1));
    await expectRemoteError(store.putFile('f', v1, { encryption: { mode: 'sse-s3' }, fingerprint: 'v1', signal: controller.signal }), 'skip', 'Aborted');
    const oldUpload = ledger.find('f')?.uploadId;
    expect(oldUpload).toBeDefined();
    const v2bytes = patternBytes(MIB5 * 3, 2);
    const v2 = ctx.dir.file('changing', v2bytes);
    const before = ctx.target.uploadPartsSent();
    await store.putFile('f', v2, { encryption: { mode: 'sse-s3' }, fingerprint: 'v2' });
    expect(ctx.target.uploadPartsSent() - before).toBe(3);
    expect((await store.getBytes('f'))?.body.equals(v2bytes)).toBe(true);
    expect(ledger.all()).toEqual([]);
    // The old upload is gone, not left to be found as an orphan.
    expect(await store.abortOrphanedUploads({ olderThanMs: 0 })).toBe(0);
  });

  it('starts afresh when the same file is to be written with another SSE-C key', async () => {
    const controller = new AbortController();
    const ledger = new AbortingLedger(controller, 1);
    const store = await ctx.open({ ledger, multipartThresholdBytes: MIB5, partSizeBytes: MIB5, concurrency: 1 });
    const bytes = patternBytes(MIB5 * 2, 5);
    const file = ctx.dir.file('rekey', bytes);
    await expectRemoteError(store.putFile('r', file, { encryption: { mode: 'sse-c', key: ctx.keyA }, fingerprint: 'same', signal: controller.signal }), 'skip', 'Aborted');
    const before = ctx.target.uploadPartsSent();
    await store.putFile('r', file, { encryption: { mode: 'sse-c', key: ctx.keyB }, fingerprint: 'same' });
    expect(ctx.target.uploadPartsSent() - before).toBe(2);
    expect((await store.getBytes('r', { encryption: { mode: 'sse-c', key: ctx.keyB } }))?.body.equals(bytes)).toBe(true);
  });

  it('aborts uploads no checkpoint claims once they are old enough, and keeps the claimed one resumable', async () => {
    const bucket = ctx.newBucket();
    const file = ctx.dir.file('orphan', patternBytes(MIB5 * 2, 9));
    const interrupted = async (key: string, ledger: UploadLedger & { recorded?: number }, controller: AbortController): Promise<void> => {
      const store = await ctx.open({ bucket, ledger, multipartThresholdBytes: MIB5, partSizeBytes: MIB5, concurrency: 1 });
      await expectRemoteError(store.putFile(key, file, { encryption: { mode: 'sse-s3' }, fingerprint: key, signal: controller.signal }), 'skip', 'Aborted');
    };
    const keptController = new AbortController();
    const kept = new AbortingLedger(keptController, 1);
    await interrupted('kept', kept, keptController);
    const lostController = new AbortController();
    await interrupted('lost', new AbortingLedger(lostController, 1), lostController);
    const store = await ctx.open({ bucket, ledger: kept, multipartThresholdBytes: MIB5, partSizeBytes: MIB5 });
    // Just started, the unclaimed upload could be another device's, in flight: left alone by default.
    expect(await store.abortOrphanedUploads()).toBe(0);
    expect(await store.abortOrphanedUploads({ olderThanMs: 0 })).toBe(1);
    expect(await store.abortOrphanedUploads({ olderThanMs: 0 })).toBe(0);
    const before = ctx.target.uploadPartsSent();
    await store.putFile('kept', file, { encryption: { mode: 'sse-s3' }, fingerprint: 'kept' });
    expect(ctx.target.uploadPartsSent() - before).toBe(1);
    expect(await ctx.open({ bucket, ledger: new MemoryUploadLedger() }).then((s) => s.abortOrphanedUploads({ olderThanMs: 0 }))).toBe(0);
  });
}
