// The in-memory upload ledger: one checkpoint per key, parts recorded only against the current upload, snapshots.
import { describe, expect, it } from 'vitest';
import { MemoryUploadLedger } from '../../../../main/core/sync/remote/memoryUploadLedger.js';

describe('MemoryUploadLedger', () => {
  it('records parts of the current upload in part order and forgets the upload on finish', () => {
    const ledger = new MemoryUploadLedger();
    ledger.begin({ key: 'a', uploadId: 'u1', fingerprint: 'f', partSize: 5 });
    ledger.partDone('a', 'u1', { partNumber: 2, etag: '"2"', size: 5 });
    ledger.partDone('a', 'u1', { partNumber: 1, etag: '"1"', size: 5 });
    ledger.partDone('a', 'u1', { partNumber: 2, etag: '"2b"', size: 5 });
    expect(ledger.find('a')).toEqual({
      key: 'a', uploadId: 'u1', fingerprint: 'f', partSize: 5,
      parts: [{ partNumber: 1, etag: '"1"', size: 5 }, { partNumber: 2, etag: '"2b"', size: 5 }],
    });
    ledger.finish('a', 'u1');
    expect(ledger.find('a')).toBeUndefined();
    expect(ledger.all()).toEqual([]);
  });

  it('ignores parts and finishes for an upload that is no longer the key’s current one', () => {
    const ledger = new MemoryUploadLedger();
    ledger.begin({ key: 'a', uploadId: 'old', fingerprint: 'f', partSize: 5 });
    ledger.begin({ key: 'a', uploadId: 'new', fingerprint: 'g', partSize: 5 });
    ledger.partDone('a', 'old', { partNumber: 1, etag: '"x"', size: 5 });
    ledger.finish('a', 'old');
    expect(ledger.find('a')).toMatchObject({ uploadId: 'new', parts: [] });
    ledger.begin({ key: 'b', uploadId: 'u', fingerprint: 'h', partSize: 5 });
    expect(ledger.all().map((c) => c.key).sort()).toEqual(['a', 'b']);
  });

  it('hands out snapshots that later parts do not change', () => {
    const ledger = new MemoryUploadLedger();
    ledger.begin({ key: 'a', uploadId: 'u', fingerprint: 'f', partSize: 5 });
    const before = ledger.find('a');
    ledger.partDone('a', 'u', { partNumber: 1, etag: '"1"', size: 5 });
    expect(before?.parts).toEqual([]);
  });
});
