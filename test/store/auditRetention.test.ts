// The store's retention setting prunes old access-history events at start (then daily), keeping the chain verifiable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/core/audit/auditLog.js';
import { queryAuditEvents } from '../../main/core/audit/auditQuery.js';
import { verifyAuditChain } from '../../main/core/audit/verifyChain.js';
import { startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

const ROOT_KEY = Buffer.alloc(32, 7); // the fixture's root key
const DAY_MS = 86_400_000;
let dataDir: string;
let f: StoreFixture | undefined;

afterEach(async () => {
  await f?.close();
  f = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('--audit-retention-days', () => {
  it('prunes events older than the retention at start, keeps newer ones, and the chain still verifies', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'coffer-retention-'));
    const old = AuditLog.openInDataDir(dataDir, { rootKey: ROOT_KEY });
    for (let i = 0; i < 30; i++) {
      old.record({ time: new Date(Date.now() - (400 - i) * DAY_MS), category: 's3', operation: 'GetObject', outcome: 'success', principal: 'old', bucket: 'ancient' });
    }
    old.record({ time: new Date(Date.now() - 10 * DAY_MS), category: 's3', operation: 'GetObject', outcome: 'success', principal: 'recent', bucket: 'recent' });
    await old.close();

    f = await startStoreFixture({ dataDir, auditRetentionDays: 365, rootKey: ROOT_KEY });
    await f.http.send(new CreateBucketCommand({ Bucket: 'after-prune' }));
    const log = f.store.services.auditLog!;
    await log.flush();
    const events = queryAuditEvents(log.db, {}, { limit: 1000, order: 'oldest' }).events.map((r) => r.event);
    expect(events.some((e) => e.bucket === 'ancient')).toBe(false);
    expect(events.some((e) => e.bucket === 'recent')).toBe(true);
    expect(events.some((e) => e.operation === 'PruneAuditLog' && e.principal === 'scheduler')).toBe(true);
    expect(events.some((e) => e.operation === 'CreateBucket' && e.bucket === 'after-prune')).toBe(true);
    const verified = verifyAuditChain(log.db, ROOT_KEY);
    expect(verified.ok).toBe(true);
    expect(verified.checkpointSeq).toBeGreaterThanOrEqual(30);
  });
});
