// Shared fixtures for the audit tests: temp dirs, sample events, and direct edits of audit.db as an attacker would make them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEvent } from '../../../main/core/audit/auditEvent.js';
import { AuditLog, type AuditLogOptions } from '../../../main/core/audit/auditLog.js';

export const ROOT_KEY = Buffer.alloc(32, 7);
export const OTHER_ROOT_KEY = Buffer.alloc(32, 9);
export const BASE_TIME = Date.UTC(2025, 5, 1, 12, 0, 0);

export interface TempDir {
  dir: string;
  file: string;
  cleanup(): void;
}

export function tempDir(prefix = 'coffer-audit-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, file: join(dir, 'audit.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const OPERATIONS = ['PutObject', 'GetObject', 'HeadObject', 'DeleteObject', 'ListObjectsV2'];

/** Event i: mostly S3 calls over a few buckets and principals, every 10th a KMS Decrypt, every 50th (from 7) a denied failure. */
export function sampleEvent(i: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  const kms = i % 10 === 0;
  const failed = i % 50 === 7;
  const base: AuditEvent = kms
    ? {
        time: new Date(BASE_TIME + i * 1000),
        category: 'kms',
        operation: 'Decrypt',
        outcome: 'success',
        requestId: `req-${i}`,
        principal: `AKIA${i % 3}`,
        sourceIp: '127.0.0.1',
        keyId: `arn:aws:kms:us-east-1:000000000000:key/k${i % 4}`,
        keyVersion: 'm1',
        details: { requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' } },
      }
    : {
        time: new Date(BASE_TIME + i * 1000),
        category: 's3',
        operation: OPERATIONS[i % OPERATIONS.length]!,
        outcome: failed ? 'failure' : 'success',
        requestId: `req-${i}`,
        principal: `AKIA${i % 3}`,
        sourceIp: '127.0.0.1',
        userAgent: 'aws-sdk-js/3',
        bucket: `bucket-${i % 5}`,
        objectKey: `dir-${i % 7}/file-${i}.txt`,
        sseMode: 'SSE-S3',
        keyId: 'store-master-key',
        keyVersion: '1',
        bytes: 4096,
        httpStatus: failed ? 403 : 200,
        ...(failed ? { errorCode: 'AccessDenied', errorMessage: 'Access Denied' } : {}),
      };
  return { ...base, ...overrides };
}

export function openLog(file: string, options: Partial<AuditLogOptions> = {}): AuditLog {
  return AuditLog.open(file, { rootKey: ROOT_KEY, flushDelayMs: 1, ...options });
}

/** Writes events 1..count (or from..to) through the real log and closes it. */
export async function writeLog(file: string, count: number, options: Partial<AuditLogOptions> = {}, from = 1): Promise<void> {
  const log = openLog(file, options);
  for (let i = from; i < from + count; i += 1) log.record(sampleEvent(i));
  await log.close();
}

/**
 * Edits the file directly, as someone with access to the disk could: the append-only triggers are
 * dropped first (they only guard against honest mistakes).
 */
export function tamper(file: string, edit: (db: Database.Database) => void): void {
  const db = new Database(file);
  try {
    for (const name of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[]) {
      db.exec(`DROP TRIGGER ${name}`);
    }
    edit(db);
  } finally {
    db.close();
  }
}
