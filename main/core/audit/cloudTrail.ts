// One stored event as a CloudTrail-shaped record (S3-SSE.md section 3.6), plus Coffer's chain fields.
import type { AuditCategory, SseModeName } from './auditEvent.js';
import type { AuditRecord } from './auditQuery.js';

export const CLOUDTRAIL_EVENT_VERSION = '1.11';

const EVENT_SOURCE: Record<AuditCategory, string> = {
  s3: 's3.amazonaws.com',
  kms: 'kms.amazonaws.com',
  admin: 'coffer',
  sync: 'coffer.sync',
};

/** CloudTrail's additionalEventData.SSEApplied values for S3 data events. */
const SSE_APPLIED: Record<SseModeName, string | undefined> = {
  'SSE-S3': 'SSE_S3',
  'SSE-KMS': 'SSE_KMS',
  'SSE-C': 'SSE_C',
  none: undefined,
};

/** Detail keys that are CloudTrail fields in their own right and are merged into the record. */
const CLOUDTRAIL_DETAIL_KEYS = ['awsRegion', 'userIdentity', 'requestParameters', 'additionalEventData', 'resources', 'recipientAccountId', 'eventType'];

// KMS marks its cryptographic calls readOnly (they change no key state), as S3 does for reads.
const READ_ONLY_OPERATION = /^(Get|Head|List|Describe|Decrypt|Encrypt|GenerateDataKey|ReEncrypt|Verify|Select)/;

function objectOr(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

/**
 * eventTime has second precision with a Z suffix, as CloudTrail writes it; eventID is derived from
 * the event's chain hash, so exporting twice yields the same ids. Fields CloudTrail has no name for
 * (outcome, HTTP status, SSE mode, bytes, other details) go under `coffer`.
 */
export function toCloudTrailRecord(record: AuditRecord): Record<string, unknown> {
  const e = record.event;
  const details = e.details ?? {};
  const isKms = e.category === 'kms';
  const extraDetails = Object.fromEntries(Object.entries(details).filter(([k]) => !CLOUDTRAIL_DETAIL_KEYS.includes(k)));
  const resources = Array.isArray(details.resources) ? details.resources : defaultResources(record);
  return compact({
    eventVersion: CLOUDTRAIL_EVENT_VERSION,
    eventTime: e.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: EVENT_SOURCE[e.category],
    eventName: e.operation,
    awsRegion: typeof details.awsRegion === 'string' ? details.awsRegion : undefined,
    userIdentity: compact({ accessKeyId: e.principal, ...objectOr(details.userIdentity) }),
    sourceIPAddress: e.sourceIp,
    userAgent: e.userAgent,
    requestParameters: compact({
      bucketName: e.bucket,
      key: e.objectKey,
      ...(isKms ? { keyId: e.keyId } : {}),
      ...objectOr(details.requestParameters),
    }),
    responseElements: null,
    additionalEventData: compact({
      ...(isKms ? { keyMaterialId: e.keyVersion } : { SSEApplied: e.sseMode ? SSE_APPLIED[e.sseMode] : undefined }),
      ...objectOr(details.additionalEventData),
    }),
    requestID: e.requestId,
    eventID: eventIdFromHash(record.hash),
    readOnly: e.category !== 'admin' && READ_ONLY_OPERATION.test(e.operation),
    resources,
    eventType: typeof details.eventType === 'string' ? details.eventType : e.category === 'admin' ? 'CofferAdminEvent' : e.category === 'sync' ? 'CofferSyncEvent' : 'AwsApiCall',
    managementEvent: e.category === 'kms' || e.category === 'admin',
    recipientAccountId: typeof details.recipientAccountId === 'string' ? details.recipientAccountId : undefined,
    eventCategory: e.category === 's3' || e.category === 'sync' ? 'Data' : 'Management',
    errorCode: e.errorCode,
    errorMessage: e.errorMessage,
    seq: record.seq,
    hash: record.hash,
    previousHash: record.prevHash,
    coffer: compact({
      category: e.category,
      outcome: e.outcome,
      httpStatus: e.httpStatus,
      sseMode: e.sseMode,
      keyId: e.keyId,
      keyVersion: e.keyVersion,
      bytes: e.bytes,
      details: Object.keys(extraDetails).length > 0 ? extraDetails : undefined,
    }),
  });
}

function defaultResources(record: AuditRecord): Record<string, string>[] | undefined {
  const e = record.event;
  if (e.category === 'kms' && e.keyId) return [{ ARN: e.keyId, type: 'AWS::KMS::Key' }];
  if (e.category === 's3' && e.bucket) {
    return e.objectKey !== undefined
      ? [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${e.bucket}/${e.objectKey}` }]
      : [{ type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${e.bucket}` }];
  }
  return undefined;
}

/** A UUID-shaped id (version nibble 8, "custom", RFC 9562) made from the first 16 bytes of the chain hash. */
function eventIdFromHash(hashHex: string): string {
  const h = hashHex.slice(0, 32).split('');
  h[12] = '8';
  h[16] = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}
