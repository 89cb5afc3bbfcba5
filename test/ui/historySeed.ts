// A large access history for the UI tests, written through the real AuditLog with the store's own root key, so its chain verifies.
import { join } from 'node:path';
import type { AuditEvent } from '../../main/core/audit/auditEvent.js';
import { AuditLog } from '../../main/core/audit/auditLog.js';
import { loadExistingRootKey } from '../../main/core/keys/rootKey.js';
import { STORE_SUBDIR } from '../../main/agent/runtime/dataDirLayout.js';

const OPERATIONS = ['PutObject', 'GetObject', 'DeleteObject', 'HeadObject', 'ListObjectsV2'] as const;
/** The one object key search must find among all the others. */
export const NEEDLE_KEY = 'reports/needle-quarterly-2026.pdf';
const NEEDLE_INDEX = 54_321;
/** The seeded events span this long, ending a minute before the seed runs. */
const SPAN_MS = 6 * 86_400_000;

/**
 * Seeded event i (1-based) of `count`, its time spread evenly over the last six days: every 10th a
 * KMS Decrypt; the rest S3 calls cycling through five operations, where i % 50 == 7 is a failed
 * DeleteObject and i % 50 == 33 a denied HeadObject.
 */
export function seededEvent(i: number, count: number, end: number): AuditEvent {
  const time = new Date(end - SPAN_MS + Math.floor((i * SPAN_MS) / count));
  if (i % 10 === 0) {
    return {
      time,
      category: 'kms',
      operation: 'Decrypt',
      outcome: 'success',
      requestId: `seed-${i}`,
      principal: `AKIASEED${i % 3}`,
      sourceIp: '127.0.0.1',
      keyId: `arn:aws:kms:us-east-1:000000000000:key/seed-key-${i % 3}`,
      keyVersion: 'm1',
      details: { requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, seedIndex: i },
    };
  }
  const failed = i % 50 === 7;
  const denied = i % 50 === 33;
  return {
    time,
    category: 's3',
    operation: OPERATIONS[i % OPERATIONS.length]!,
    outcome: failed ? 'failure' : denied ? 'denied' : 'success',
    requestId: `seed-${i}`,
    principal: `AKIASEED${i % 3}`,
    sourceIp: '127.0.0.1',
    userAgent: 'aws-sdk-js/3',
    bucket: i % 2 === 0 ? 'photos' : 'docs',
    objectKey: i === NEEDLE_INDEX ? NEEDLE_KEY : `seed/dir-${i % 7}/file-${i}.txt`,
    sseMode: 'SSE-S3',
    keyId: 'store-master-key',
    keyVersion: '1',
    bytes: 1000 + (i % 4096),
    httpStatus: failed ? 500 : denied ? 403 : 200,
    ...(failed ? { errorCode: 'InternalError', errorMessage: 'We encountered an internal error.' } : {}),
    ...(denied ? { errorCode: 'AccessDenied', errorMessage: 'Access Denied' } : {}),
    details: { seedIndex: i, attempt: 1 },
  };
}

/**
 * Appends `count` seeded events to the agent's store/audit.db (the agent must not be running) with
 * the root key the store made, in big batches, and closes the log (which signs its tail). Throws
 * when the log lost any event, so a test never runs on fewer events than it counts.
 */
export async function seedHistory(agentDataDir: string, count: number): Promise<void> {
  const storeDir = join(agentDataDir, STORE_SUBDIR);
  const log = AuditLog.openInDataDir(storeDir, { rootKey: loadExistingRootKey(storeDir, {}).key, batchSize: 4096, flushDelayMs: 1, minCommitIntervalMs: 0 });
  const end = Date.now() - 60_000;
  try {
    for (let i = 1; i <= count; i += 1) {
      log.record(seededEvent(i, count, end));
      // The queue is bounded (50 000 by default): a burst beyond it would drop the oldest.
      if (i % 10_000 === 0) await log.flush();
    }
    await log.flush();
    const stats = log.stats();
    if (stats.written < count || stats.dropped > 0 || stats.refused > 0) throw new Error(`the seed lost events: ${JSON.stringify(stats)}`);
  } finally {
    await log.close();
  }
}
