// Test support for SSE-KMS against a store fixture: its own KMS and access history, encryption contexts, stored rows, expected errors.
import type { AuditEvent } from '../../main/core/audit/auditEvent.js';
import { AuditLog } from '../../main/core/audit/auditLog.js';
import type { AuditRecord } from '../../main/core/audit/auditQuery.js';
import { iterateAuditEvents } from '../../main/core/audit/auditQuery.js';
import type { LocalKms } from '../../main/core/keys/kms/index.js';
import type { SseKmsSealed, StoredEncryption } from '../../main/core/store/sse/storedEncryption.js';
import type { ExpectedError } from './s3Expect.js';
import type { StoreFixture } from './storeFixture.js';

/** The KMS the running store uses (same kms.db, same instance). */
export function kmsOf(f: StoreFixture): LocalKms {
  return f.store.services.kms;
}

/** The store's access history; the fixture always keeps one unless started with auditLog: false. */
export function auditLogOf(f: StoreFixture): AuditLog {
  const audit = f.store.services.audit;
  if (!(audit instanceof AuditLog)) throw new Error('this store runs without an access history');
  return audit;
}

/** Everything recorded so far, oldest first, after committing what is queued. */
export async function allAuditRecords(f: StoreFixture): Promise<AuditRecord[]> {
  const log = auditLogOf(f);
  await log.flush();
  return [...iterateAuditEvents(log.db)];
}

/** The 'kms' events (GenerateDataKey, Decrypt) the store made while serving one S3 request: they share its request id. */
export async function kmsEventsOf(f: StoreFixture, requestId: string | undefined): Promise<AuditEvent[]> {
  if (!requestId) throw new Error('the response carried no request id');
  return (await allAuditRecords(f)).map((r) => r.event).filter((e) => e.category === 'kms' && e.requestId === requestId);
}

/** A KMS event's encryption context, as its CloudTrail-shaped details record it. */
export function contextOf(event: AuditEvent): unknown {
  return (event.details?.['requestParameters'] as { encryptionContext?: unknown } | undefined)?.encryptionContext;
}

/** The value of x-amz-server-side-encryption-context for these pairs: base64 of their JSON. */
export function contextHeader(pairs: Record<string, string>): string {
  return Buffer.from(JSON.stringify(pairs), 'utf8').toString('base64');
}

/** The object's encryption exactly as store.db holds it. */
export function storedEncryption(f: StoreFixture, bucket: string, key: string): StoredEncryption {
  const row = f.store.services.db.prepare('SELECT encryption FROM objects WHERE bucket = ? AND key = ?').get(bucket, key) as { encryption: string } | undefined;
  if (!row) throw new Error(`no object ${bucket}/${key} in store.db`);
  return JSON.parse(row.encryption) as StoredEncryption;
}

export function storedKms(f: StoreFixture, bucket: string, key: string): SseKmsSealed {
  const stored = storedEncryption(f, bucket, key);
  if (stored.mode !== 'SSE-KMS') throw new Error(`${bucket}/${key} is ${stored.mode}, not SSE-KMS`);
  return stored;
}

/** Rewrites the object's stored encryption in store.db, as someone with write access to the file could. */
export function tamperStoredEncryption(f: StoreFixture, bucket: string, key: string, change: (stored: SseKmsSealed) => SseKmsSealed): void {
  const changed = change(storedKms(f, bucket, key));
  const result = f.store.services.db.prepare('UPDATE objects SET encryption = ? WHERE bucket = ? AND key = ?').run(JSON.stringify(changed), bucket, key);
  if (result.changes !== 1) throw new Error(`could not rewrite ${bucket}/${key}`);
}

/** A data key's plaintext, obtained the way the store obtains it (a Decrypt with the object's context). */
export function dataKeyOf(f: StoreFixture, bucket: string, key: string): Buffer {
  const stored = storedKms(f, bucket, key);
  const client = stored.context ? (JSON.parse(Buffer.from(stored.context, 'base64').toString('utf8')) as Record<string, string>) : {};
  const arn = stored.bucketKey ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
  const opened = kmsOf(f).decrypt({ ciphertextBlob: Buffer.from(stored.dataKey, 'base64'), encryptionContext: { ...client, 'aws:s3:arn': arn } }, { principal: 'test-inspector' });
  return opened.plaintext;
}

/** The S3 errors of S3-SSE.md 3.4 / E6-E8, E3, E4. */
export const kmsErrors = {
  invalidKeyId: (input: string): ExpectedError => ({ code: 'KMS.NotFoundException', status: 400, message: `Invalid keyId '${input}'` }),
  doesNotExist: (arn: string): ExpectedError => ({ code: 'KMS.NotFoundException', status: 400, message: `Key '${arn}' does not exist` }),
  invalidArn: (region: string): ExpectedError => ({ code: 'KMS.NotFoundException', status: 400, message: `Invalid arn ${region}` }),
  disabled: (arn: string): ExpectedError => ({ code: 'KMS.DisabledException', status: 400, message: `${arn} is disabled.` }),
  pendingDeletion: (arn: string): ExpectedError => ({ code: 'KMS.KMSInvalidStateException', status: 400, message: `${arn} is pending deletion.` }),
  keyGone: {
    code: 'AccessDenied',
    status: 403,
    message: 'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.',
  } satisfies ExpectedError,
  kmsOnly: {
    code: 'InvalidArgument',
    status: 400,
    message: 'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
  } satisfies ExpectedError,
  badContext: {
    code: 'InvalidArgument',
    status: 400,
    message: "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map",
  } satisfies ExpectedError,
  tampered: { code: 'InternalError', status: 500, message: 'The requested object was modified and may be compromised' } satisfies ExpectedError,
};

/** A key ARN of this store's account in a region, for a key id. */
export function keyArnIn(f: StoreFixture, region: string, keyId: string): string {
  return `arn:aws:kms:${region}:${kmsOf(f).accountId}:key/${keyId}`;
}

export const DAY_MS = 86_400_000;

/** A moment `days` from now, for the KMS's due work (automatic rotation, end of a deletion window). */
export function daysFromNow(days: number): Date {
  return new Date(Date.now() + days * DAY_MS);
}
