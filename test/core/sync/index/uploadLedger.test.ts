import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIndexFixture, type IndexFixture } from './indexFixture.js';

let fx: IndexFixture;
beforeEach(() => {
  fx = openIndexFixture();
});
afterEach(() => fx.cleanup());

const MiB = 1024 * 1024;

describe('the index-backed UploadLedger', () => {
  it('remembers a checkpoint and its parts across a reopen, parts in number order', () => {
    const ledger = fx.index.uploadLedger('f');
    ledger.begin({ key: 'videos/a.mp4', uploadId: 'u1', fingerprint: 'sha-1', partSize: 8 * MiB });
    ledger.partDone('videos/a.mp4', 'u1', { partNumber: 2, etag: '"p2"', size: 8 * MiB });
    ledger.partDone('videos/a.mp4', 'u1', { partNumber: 1, etag: '"p1"', size: 8 * MiB });
    const reopened = fx.reopen().uploadLedger('f');
    expect(reopened.find('videos/a.mp4')).toEqual({
      key: 'videos/a.mp4',
      uploadId: 'u1',
      fingerprint: 'sha-1',
      partSize: 8 * MiB,
      parts: [
        { partNumber: 1, etag: '"p1"', size: 8 * MiB },
        { partNumber: 2, etag: '"p2"', size: 8 * MiB },
      ],
    });
    expect(reopened.find('other')).toBeUndefined();
  });

  it('replaces a retried part, and ignores parts of an upload it no longer holds', () => {
    const ledger = fx.index.uploadLedger('f');
    ledger.begin({ key: 'k', uploadId: 'u1', fingerprint: 'fp', partSize: 5 * MiB });
    ledger.partDone('k', 'u1', { partNumber: 1, etag: '"first"', size: 5 * MiB });
    ledger.partDone('k', 'u1', { partNumber: 1, etag: '"retry"', size: 5 * MiB });
    ledger.partDone('k', 'stale', { partNumber: 2, etag: '"x"', size: 1 });
    ledger.partDone('unknown', 'u1', { partNumber: 1, etag: '"x"', size: 1 });
    expect(ledger.find('k')?.parts).toEqual([{ partNumber: 1, etag: '"retry"', size: 5 * MiB }]);
    expect(ledger.find('unknown')).toBeUndefined();
  });

  it('a new begin for the same key drops the old upload and its parts', () => {
    const ledger = fx.index.uploadLedger('f');
    ledger.begin({ key: 'k', uploadId: 'u1', fingerprint: 'old', partSize: 5 * MiB });
    ledger.partDone('k', 'u1', { partNumber: 1, etag: '"p"', size: 5 * MiB });
    ledger.begin({ key: 'k', uploadId: 'u2', fingerprint: 'new', partSize: 6 * MiB });
    expect(ledger.find('k')).toEqual({ key: 'k', uploadId: 'u2', fingerprint: 'new', partSize: 6 * MiB, parts: [] });
  });

  it('finish forgets only the named upload id', () => {
    const ledger = fx.index.uploadLedger('f');
    ledger.begin({ key: 'k', uploadId: 'u2', fingerprint: 'fp', partSize: 5 * MiB });
    ledger.partDone('k', 'u2', { partNumber: 1, etag: '"p"', size: 1 });
    ledger.finish('k', 'u1');
    expect(ledger.find('k')?.uploadId).toBe('u2');
    ledger.finish('k', 'u2');
    expect(ledger.find('k')).toBeUndefined();
    expect(fx.index.db.prepare('SELECT count(*) FROM upload_parts').pluck().get()).toBe(0);
  });

  it('all() lists one folder only, in key order, each with its own parts', () => {
    const a = fx.index.uploadLedger('a');
    const b = fx.index.uploadLedger('b');
    a.begin({ key: 'z', uploadId: 'uz', fingerprint: 'f', partSize: 5 * MiB });
    a.begin({ key: 'm', uploadId: 'um', fingerprint: 'f', partSize: 5 * MiB });
    a.partDone('z', 'uz', { partNumber: 3, etag: '"z3"', size: 1 });
    a.partDone('m', 'um', { partNumber: 1, etag: '"m1"', size: 1 });
    b.begin({ key: 'm', uploadId: 'other', fingerprint: 'f', partSize: 5 * MiB });
    expect(a.all()).toEqual([
      { key: 'm', uploadId: 'um', fingerprint: 'f', partSize: 5 * MiB, parts: [{ partNumber: 1, etag: '"m1"', size: 1 }] },
      { key: 'z', uploadId: 'uz', fingerprint: 'f', partSize: 5 * MiB, parts: [{ partNumber: 3, etag: '"z3"', size: 1 }] },
    ]);
    expect(b.all().map((c) => c.uploadId)).toEqual(['other']);
  });
});
