// The access history of a real store session: one 's3' event per request, a 'kms' event per data key use, admin events, a verifiable chain, and no secret anywhere in audit.db.
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../main/core/audit/auditEvent.js';
import { STORE_MASTER_KEY_ID } from '../../main/core/keys/keyEvents.js';
import type { KeyMetadata } from '../../main/core/keys/kms/index.js';
import { allAuditRecords, auditLogOf, contextHeader, contextOf, dataKeyOf, kmsOf } from '../support/kmsSupport.js';
import { bucketName, customerKey, onceClient, sseC, sseCHeaders, type CustomerKey } from '../support/s3Expect.js';
import { objectPath, sendSigned } from '../support/signedRequest.js';
import { TEST_CREDENTIALS, startStoreFixture, type StoreFixture } from '../support/storeFixture.js';

let f: StoreFixture;
let s3: S3Client;
let cmk: KeyMetadata;
beforeAll(async () => {
  f = await startStoreFixture();
  s3 = onceClient(f, true);
  cmk = kmsOf(f).createKey({ description: 'audited', alias: 'alias/audited' });
});
afterAll(async () => {
  await f?.close();
});

type Expected = Partial<Pick<AuditEvent, 'operation' | 'bucket' | 'objectKey' | 'sseMode' | 'keyId' | 'keyVersion' | 'bytes' | 'httpStatus' | 'errorCode' | 'outcome' | 'principal'>>;

/** One request of the session: its id (success or failure) and what its event must say. */
interface Sent {
  requestId: string;
  expected: Expected;
}

async function send(call: () => Promise<{ $metadata: { requestId?: string } }>, expected: Expected): Promise<Sent> {
  let requestId: string | undefined;
  try {
    requestId = (await call()).$metadata.requestId;
  } catch (err) {
    if (!(err instanceof S3ServiceException)) throw err;
    requestId = err.$metadata.requestId;
  }
  expect(requestId, expected.operation).toMatch(/^[0-9A-F]{16}$/);
  return { requestId: requestId!, expected };
}

function pick(event: AuditEvent, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((name) => [name, (event as unknown as Record<string, unknown>)[name]]));
}

/** Every way a secret could be written: raw bytes, base64, hex. */
function encodings(secret: Buffer): Buffer[] {
  return [secret, Buffer.from(secret.toString('base64')), Buffer.from(secret.toString('hex')), Buffer.from(secret.toString('hex').toUpperCase())];
}

describe('access history of a store session', () => {
  it('records each request once with its operation, object, encryption, key version, status and outcome; KMS uses and key administration beside them', async () => {
    const bucket = bucketName('audited');
    const keyA: CustomerKey = customerKey();
    const wrong: CustomerKey = customerKey();
    const context = contextHeader({ purpose: 'audit-test' });
    const principal = TEST_CREDENTIALS.accessKeyId;
    const ok = { httpStatus: 200, outcome: 'success' as const, errorCode: undefined, principal };
    const masterVersion = String(f.store.services.keyring.current().version);
    const s3Mode = { sseMode: 'SSE-S3' as const, keyId: STORE_MASTER_KEY_ID, keyVersion: masterVersion };
    const kmsMode = { sseMode: 'SSE-KMS' as const, keyId: cmk.arn, keyVersion: cmk.currentKeyMaterialId };
    const cMode = { sseMode: 'SSE-C' as const, keyId: undefined, keyVersion: undefined };
    const bodies = { plain: 'plaintext-marker-sse-s3', kms: 'plaintext-marker-sse-kms', customer: 'plaintext-marker-sse-c' };
    const at = (objectKey: string | undefined) => ({ bucket, objectKey });

    const sent: Sent[] = [];
    sent.push(await send(() => s3.send(new CreateBucketCommand({ Bucket: bucket })), { operation: 'CreateBucket', ...at(undefined), ...ok, sseMode: undefined, bytes: undefined }));
    sent.push(await send(() => s3.send(new PutObjectCommand({ Bucket: bucket, Key: 's3-obj', Body: bodies.plain })), { operation: 'PutObject', ...at('s3-obj'), ...ok, ...s3Mode, bytes: 23 }));
    const kmsPut = await send(
      () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'kms-obj', Body: bodies.kms, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/audited', SSEKMSEncryptionContext: context })),
      { operation: 'PutObject', ...at('kms-obj'), ...ok, ...kmsMode, bytes: 24 },
    );
    sent.push(kmsPut);
    // The data key itself, to search the log for it (read as the store reads it, while the key is usable).
    const dataKey = dataKeyOf(f, bucket, 'kms-obj');
    sent.push(await send(() => s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'c-obj', Body: bodies.customer, ...sseC(keyA) })), { operation: 'PutObject', ...at('c-obj'), ...ok, ...cMode, bytes: 22 }));
    sent.push(await send(() => s3.send(new GetObjectCommand({ Bucket: bucket, Key: 's3-obj' })).then(drain), { operation: 'GetObject', ...at('s3-obj'), ...ok, ...s3Mode, bytes: 23 }));
    sent.push(await send(() => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 's3-obj' })), { operation: 'HeadObject', ...at('s3-obj'), ...ok, ...s3Mode, bytes: 0 }));
    const kmsGet = await send(() => s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'kms-obj' })).then(drain), { operation: 'GetObject', ...at('kms-obj'), ...ok, ...kmsMode, bytes: 24 });
    sent.push(kmsGet);
    sent.push(await send(() => s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'c-obj', ...sseC(keyA) })).then(drain), { operation: 'GetObject', ...at('c-obj'), ...ok, ...cMode, bytes: 22 }));
    // Refusals: a missing object, then the wrong customer key (403 is a denial, other errors are failures).
    sent.push(
      await send(() => s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })), {
        operation: 'GetObject', ...at('missing'), httpStatus: 404, errorCode: 'NoSuchKey', outcome: 'failure', principal, sseMode: undefined, bytes: undefined,
      }),
    );
    sent.push(
      await send(() => s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'c-obj', ...sseC(wrong) })), {
        operation: 'GetObject', ...at('c-obj'), httpStatus: 403, errorCode: 'AccessDenied', outcome: 'denied', principal, bytes: undefined,
      }),
    );
    // A refused SSE-C write: a 31-byte key (E17), sent as raw headers so no client rewrites it.
    const shortKey: CustomerKey = customerKey(randomBytes(31));
    const badPut = await sendSigned(f, { secure: true, method: 'PUT', path: objectPath(bucket, 'bad-c'), body: 'x', headers: sseCHeaders(shortKey) });
    expect(badPut.status).toBe(400);
    sent.push({
      requestId: badPut.headers['x-amz-request-id'] as string,
      expected: { operation: 'PutObject', ...at('bad-c'), httpStatus: 400, errorCode: 'InvalidArgument', outcome: 'failure', principal, bytes: undefined },
    });
    sent.push(await send(() => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 's3-obj' })), { operation: 'DeleteObject', ...at('s3-obj'), ...ok, httpStatus: 204, sseMode: undefined }));
    kmsOf(f).disableKey({ keyId: 'alias/audited' }, { principal: 'test-admin', requestId: 'admin-disable-1' });
    const disabledGet = await send(() => s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'kms-obj' })), {
      operation: 'GetObject', ...at('kms-obj'), httpStatus: 400, errorCode: 'KMS.DisabledException', outcome: 'failure', principal, bytes: undefined,
    });
    sent.push(disabledGet);
    const disabledPut = await send(() => s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'kms-2', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: cmk.keyId })), {
      operation: 'PutObject', ...at('kms-2'), httpStatus: 400, errorCode: 'KMS.DisabledException', outcome: 'failure', principal, bytes: undefined,
    });
    sent.push(disabledPut);

    const records = await allAuditRecords(f);
    const events = records.map((r) => r.event);
    const s3Events = events.filter((e) => e.category === 's3');
    // Exactly one event per request, in the order they were served.
    expect(s3Events.map((e) => e.requestId)).toEqual(sent.map((s) => s.requestId));
    for (const [i, { expected }] of sent.entries()) {
      expect(pick(s3Events[i]!, Object.keys(expected)), `${i}: ${expected.operation} ${expected.objectKey ?? ''}`).toEqual(expected);
      expect(s3Events[i]!.sourceIp).toMatch(/127\.0\.0\.1$/);
    }

    // KMS: one GenerateDataKey for the SSE-KMS PUT, one Decrypt per SSE-KMS read, each with the key ARN, material and context.
    const requestIds = new Set(sent.map((s) => s.requestId));
    const kmsEvents = events.filter((e) => e.category === 'kms' && requestIds.has(e.requestId!));
    const expectedContext = { purpose: 'audit-test', 'aws:s3:arn': `arn:aws:s3:::${bucket}/kms-obj` };
    expect(kmsEvents.map((e) => ({ op: e.operation, req: e.requestId, key: e.keyId, version: e.keyVersion, outcome: e.outcome, error: e.errorCode, who: e.principal, ctx: contextOf(e) }))).toEqual([
      { op: 'GenerateDataKey', req: kmsPut.requestId, key: cmk.arn, version: cmk.currentKeyMaterialId, outcome: 'success', error: undefined, who: principal, ctx: expectedContext },
      { op: 'Decrypt', req: kmsGet.requestId, key: cmk.arn, version: cmk.currentKeyMaterialId, outcome: 'success', error: undefined, who: principal, ctx: expectedContext },
      { op: 'Decrypt', req: disabledGet.requestId, key: cmk.arn, version: undefined, outcome: 'failure', error: 'DisabledException', who: principal, ctx: expectedContext },
    ]);
    const generate = kmsEvents[0]!.details!;
    expect(generate).toMatchObject({ eventSource: 'kms.amazonaws.com', eventName: 'GenerateDataKey', responseElements: null, additionalEventData: { keyMaterialId: cmk.currentKeyMaterialId } });
    expect(generate['resources']).toEqual([{ ARN: cmk.arn, accountId: cmk.accountId, type: 'AWS::KMS::Key' }]);
    // Key administration is its own event.
    const admin = events.filter((e) => e.category === 'admin' && e.operation === 'DisableKey');
    expect(admin.map((e) => pick(e, ['principal', 'keyId', 'outcome', 'requestId']))).toEqual([{ principal: 'test-admin', keyId: cmk.arn, outcome: 'success', requestId: 'admin-disable-1' }]);

    const verified = auditLogOf(f).verify();
    expect(verified).toMatchObject({ ok: true, checked: records.length, lastSeq: records.at(-1)!.seq });

    // No secret in the file, whatever its encoding: the secret access key, both customer keys (and their MD5s), the data key, the root key, object bodies.
    const file = join(f.dataDir, 'audit.db');
    const bytes = Buffer.concat([file, `${file}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p)));
    expect(bytes.includes(Buffer.from(cmk.arn)), 'the search must see the events it looks through').toBe(true);
    expect(bytes.includes(Buffer.from(bucket))).toBe(true);
    const secrets: [string, Buffer][] = [
      ['secret access key', Buffer.from(TEST_CREDENTIALS.secretAccessKey)],
      ['customer key', keyA.raw],
      ['customer key MD5', Buffer.from(keyA.md5, 'base64')],
      ['wrong customer key', wrong.raw],
      ['wrong customer key MD5', Buffer.from(wrong.md5, 'base64')],
      ['refused customer key', shortKey.raw],
      ['refused customer key MD5', Buffer.from(shortKey.md5, 'base64')],
      ['data key', dataKey],
      ['root key', f.store.services.options.rootKey],
      ...Object.entries(bodies).map(([name, body]): [string, Buffer] => [`${name} body`, Buffer.from(body)]),
    ];
    for (const [name, secret] of secrets) {
      for (const encoded of encodings(secret)) expect(bytes.includes(encoded), `${name} found in audit.db`).toBe(false);
    }
  });
});

async function drain<T extends { Body?: { transformToByteArray(): Promise<Uint8Array> } }>(out: T): Promise<T> {
  await out.Body?.transformToByteArray();
  return out;
}
