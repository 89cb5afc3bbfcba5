// JSON lines export: the CloudTrail-shaped record of each kind of event, streamed with backpressure.
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportJsonLinesStream } from '../../../main/core/audit/exportJsonl.js';
import type { AuditLog } from '../../../main/core/audit/auditLog.js';
import { BASE_TIME, openLog, sampleEvent, tempDir, type TempDir } from './helpers.js';

let tmp: TempDir;
let log: AuditLog;
beforeEach(async () => {
  tmp = tempDir();
  log = openLog(tmp.file);
  log.record(sampleEvent(5, { time: new Date(BASE_TIME + 1234) })); // s3 PutObject
  log.record({
    time: new Date(BASE_TIME + 2000),
    category: 'kms',
    operation: 'GenerateDataKey',
    outcome: 'success',
    requestId: 'b9f0c2e4-0000-4000-8000-000000000001',
    principal: 'AKIAEXAMPLE',
    sourceIp: 's3.amazonaws.com',
    userAgent: 's3.amazonaws.com',
    bucket: 'photos',
    objectKey: 'a.jpg',
    keyId: 'arn:aws:kms:us-east-1:000000000000:key/k1',
    keyVersion: 'material-2',
    details: {
      awsRegion: 'us-east-1',
      userIdentity: { invokedBy: 's3.amazonaws.com' },
      requestParameters: { keySpec: 'AES_256', encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::photos/a.jpg' } },
      recipientAccountId: '000000000000',
    },
  });
  log.record({ time: new Date(BASE_TIME + 3000), category: 'admin', operation: 'RotateStoreMasterKey', outcome: 'failure', principal: 'coffer-cli', errorCode: 'Busy', details: { from: 1 } });
  await log.flush();
});
afterEach(async () => {
  await log.close();
  tmp.cleanup();
});

function exported(): Record<string, unknown>[] {
  return [...log.exportJsonLines()].map((line) => {
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    return JSON.parse(line) as Record<string, unknown>;
  });
}

describe('export as JSON lines', () => {
  it('writes one CloudTrail-shaped object per event, oldest first, with the chain fields', () => {
    const [s3, kms, admin] = exported();
    expect(s3).toMatchObject({
      eventVersion: '1.11',
      eventTime: '2025-06-01T12:00:01Z',
      eventSource: 's3.amazonaws.com',
      eventName: 'PutObject',
      userIdentity: { accessKeyId: 'AKIA2' },
      sourceIPAddress: '127.0.0.1',
      userAgent: 'aws-sdk-js/3',
      requestParameters: { bucketName: 'bucket-0', key: 'dir-5/file-5.txt' },
      responseElements: null,
      additionalEventData: { SSEApplied: 'SSE_S3' },
      requestID: 'req-5',
      readOnly: false,
      resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::bucket-0/dir-5/file-5.txt' }],
      eventType: 'AwsApiCall',
      managementEvent: false,
      eventCategory: 'Data',
      seq: 1,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      previousHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      coffer: { category: 's3', outcome: 'success', httpStatus: 200, sseMode: 'SSE-S3', bytes: 4096 },
    });
    expect(s3!.eventID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(kms).toMatchObject({
      eventSource: 'kms.amazonaws.com',
      eventName: 'GenerateDataKey',
      awsRegion: 'us-east-1',
      userIdentity: { accessKeyId: 'AKIAEXAMPLE', invokedBy: 's3.amazonaws.com' },
      requestParameters: { keyId: 'arn:aws:kms:us-east-1:000000000000:key/k1', keySpec: 'AES_256', encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::photos/a.jpg' } },
      additionalEventData: { keyMaterialId: 'material-2' },
      readOnly: true,
      resources: [{ ARN: 'arn:aws:kms:us-east-1:000000000000:key/k1', type: 'AWS::KMS::Key' }],
      managementEvent: true,
      eventCategory: 'Management',
      recipientAccountId: '000000000000',
      seq: 2,
      previousHash: s3!.hash,
    });
    expect(admin).toMatchObject({ eventSource: 'coffer', eventName: 'RotateStoreMasterKey', eventType: 'CofferAdminEvent', errorCode: 'Busy', coffer: { outcome: 'failure', details: { from: 1 } } });
  });

  it('gives every event the same id on every export', () => {
    expect(exported().map((r) => r.eventID)).toEqual(exported().map((r) => r.eventID));
  });

  it('streams to a file with backpressure, honouring filters', async () => {
    for (let i = 10; i < 2510; i += 1) log.record(sampleEvent(i));
    await log.flush();
    const out = join(tmp.dir, 'export.jsonl');
    await pipeline(exportJsonLinesStream(log.db, { category: 's3' }), createWriteStream(out));
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 2250);
    expect(lines.every((l) => (JSON.parse(l) as { eventSource: string }).eventSource === 's3.amazonaws.com')).toBe(true);
  });
});
