// An AuditEvent to its stored form (canonical JSON plus the indexed column values) and back.
import type { AuditCategory, AuditEvent, AuditOutcome } from './auditEvent.js';
import { UnloggableEventError, canonicalJson } from './canonicalJson.js';
import { isSecretFieldName } from './secretFields.js';

const CATEGORIES: ReadonlySet<string> = new Set<AuditCategory>(['s3', 'kms', 'admin', 'sync']);
const OUTCOMES: ReadonlySet<string> = new Set<AuditOutcome>(['success', 'failure', 'denied']);
const SSE_MODES: ReadonlySet<string> = new Set(['SSE-S3', 'SSE-KMS', 'SSE-C', 'none']);
const STRING_FIELDS = ['requestId', 'principal', 'sourceIp', 'userAgent', 'bucket', 'objectKey', 'keyId', 'keyVersion', 'errorCode', 'errorMessage'] as const;

/** Largest canonical event, in UTF-16 code units (about 64 KiB): an audit row is a record, not a payload. */
export const MAX_EVENT_JSON_LENGTH = 64 * 1024;

/**
 * The indexed copies of an event's fields, in the column order of the events table
 * (time, category, operation, outcome, request_id, principal, source_ip, bucket, object_key,
 * sse_mode, key_id, key_version, http_status, error_code).
 */
export type EventColumns = (string | number | null)[];

export const COLUMN_NAMES = [
  'time',
  'category',
  'operation',
  'outcome',
  'request_id',
  'principal',
  'source_ip',
  'bucket',
  'object_key',
  'sse_mode',
  'key_id',
  'key_version',
  'http_status',
  'error_code',
] as const;

export interface EncodedEvent {
  json: string;
  columns: EventColumns;
}

/**
 * The stored fields, already in canonical (sorted) order, so the top level is written directly
 * instead of sorted per event: record() runs on the store's request path. The result is exactly
 * canonicalJson of the picked fields (a test holds the two together).
 */
export const STORED_FIELDS = [
  'bucket',
  'bytes',
  'category',
  'details',
  'errorCode',
  'errorMessage',
  'httpStatus',
  'keyId',
  'keyVersion',
  'objectKey',
  'operation',
  'outcome',
  'principal',
  'requestId',
  'sourceIp',
  'sseMode',
  'time',
  'userAgent',
] as const satisfies readonly (keyof AuditEvent)[];

// Compile-time check: a field added to AuditEvent but not to STORED_FIELDS fails the build.
type UnstoredField = Exclude<keyof AuditEvent, (typeof STORED_FIELDS)[number]>;
const everyFieldStored: [UnstoredField] extends [never] ? true : never = true;
void everyFieldStored;

const KNOWN_FIELDS: ReadonlySet<string> = new Set(STORED_FIELDS);

/** Validates and snapshots an event; UnloggableEventError if it is malformed or carries a secret-named field. */
export function encodeEvent(event: AuditEvent): EncodedEvent {
  if (typeof event !== 'object' || event === null) throw new UnloggableEventError('invalid', 'an audit event must be an object');
  // Every own key is checked, not just the known ones: a caller spreading a credentials object
  // into an event is refused rather than silently trimmed.
  for (const key of Object.keys(event)) {
    if (!KNOWN_FIELDS.has(key) && isSecretFieldName(key)) throw new UnloggableEventError('secret-field', 'the event has a field named like a secret');
  }
  validate(event);
  let json = '';
  for (const field of STORED_FIELDS) {
    const value = event[field];
    if (value === undefined) continue;
    json += `${json === '' ? '{' : ','}"${field}":${typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value)}`;
  }
  json += '}';
  if (json.length > MAX_EVENT_JSON_LENGTH) throw new UnloggableEventError('invalid', 'the event is larger than 64 KiB');
  return { json, columns: columnsOf(event) };
}

/** Parses a stored event; throws SyntaxError or TypeError on a row that is not one. */
export function decodeEvent(json: string): AuditEvent {
  const parsed = JSON.parse(json) as Record<string, unknown>;
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.time !== 'string') throw new TypeError('not a stored audit event');
  return { ...parsed, time: new Date(parsed.time) } as unknown as AuditEvent;
}

export function columnsOf(event: AuditEvent): EventColumns {
  return [
    event.time.getTime(),
    event.category,
    event.operation,
    event.outcome,
    event.requestId ?? null,
    event.principal ?? null,
    event.sourceIp ?? null,
    event.bucket ?? null,
    event.objectKey ?? null,
    event.sseMode ?? null,
    event.keyId ?? null,
    event.keyVersion ?? null,
    event.httpStatus ?? null,
    event.errorCode ?? null,
  ];
}

function validate(event: AuditEvent): void {
  const fail = (what: string): never => {
    throw new UnloggableEventError('invalid', `audit event ${what}`);
  };
  if (!(event.time instanceof Date) || Number.isNaN(event.time.getTime())) fail('time must be a valid Date');
  if (!CATEGORIES.has(event.category)) fail('category must be s3, kms, admin or sync');
  if (typeof event.operation !== 'string' || event.operation.length === 0 || event.operation.length > 128) fail('operation must be a short non-empty string');
  if (!OUTCOMES.has(event.outcome)) fail('outcome must be success, failure or denied');
  for (const field of STRING_FIELDS) {
    const value = event[field];
    if (value !== undefined && typeof value !== 'string') fail(`${field} must be a string`);
  }
  if (event.sseMode !== undefined && !SSE_MODES.has(event.sseMode)) fail('sseMode is not a known mode');
  if (event.httpStatus !== undefined && !Number.isInteger(event.httpStatus)) fail('httpStatus must be an integer');
  if (event.bytes !== undefined && !(Number.isSafeInteger(event.bytes) && event.bytes >= 0)) fail('bytes must be a non-negative integer');
  if (event.details !== undefined && (typeof event.details !== 'object' || event.details === null || Array.isArray(event.details))) fail('details must be an object');
}
