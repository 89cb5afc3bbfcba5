// The WHERE clause of every read of the access history: one filter, one set of conditions, shared by pages and the histogram.
import type { AuditCategory, AuditOutcome, SseModeName } from './auditEvent.js';

export interface AuditFilter {
  /** Inclusive lower bound on the event time. */
  since?: Date;
  /** Exclusive upper bound on the event time. */
  until?: Date;
  category?: AuditCategory;
  /** Any of these operations (PutObject, Decrypt, RotateStoreMasterKey...). */
  operations?: readonly string[];
  bucket?: string;
  /** Object keys starting with this (combine with bucket for an index range scan). */
  keyPrefix?: string;
  principal?: string;
  outcome?: AuditOutcome;
  keyId?: string;
  keyVersion?: string;
  requestId?: string;
  sourceIp?: string;
  sseMode?: SseModeName;
  httpStatus?: number;
  errorCode?: string;
  /** Case-insensitive substring of the operation, bucket, object key, principal, key id, request id, source IP or error code. */
  text?: string;
}

export type SqlParam = string | number;

/** Conditions to AND together, and their parameters in order. */
export interface WhereParts {
  conditions: string[];
  params: SqlParam[];
}

/**
 * How the time bounds name their column: `time` lets the planner pick the time index; `+time`
 * hides it (a unary plus is not a column reference), so a wide range is walked in seq order.
 */
export type TimeColumn = 'time' | '+time';

const TEXT_COLUMNS = ['operation', 'bucket', 'object_key', 'principal', 'key_id', 'request_id', 'source_ip', 'error_code'];

/**
 * The conditions for a filter: equalities first, then operations, key prefix, time bounds and free
 * text. An absent or empty field adds nothing, so `{}` matches every event. Pure: never touches
 * the database and never throws.
 */
export function auditWhere(filter: AuditFilter, timeColumn: TimeColumn = 'time'): WhereParts {
  const conditions: string[] = [];
  const params: SqlParam[] = [];
  const equal = (column: string, value: SqlParam | undefined): void => {
    if (value === undefined) return;
    conditions.push(`${column} = ?`);
    params.push(value);
  };
  equal('category', filter.category);
  equal('bucket', filter.bucket);
  equal('principal', filter.principal);
  equal('outcome', filter.outcome);
  equal('key_id', filter.keyId);
  equal('key_version', filter.keyVersion);
  equal('request_id', filter.requestId);
  equal('source_ip', filter.sourceIp);
  equal('sse_mode', filter.sseMode);
  equal('http_status', filter.httpStatus);
  equal('error_code', filter.errorCode);
  if (filter.operations && filter.operations.length > 0) {
    conditions.push(`operation IN (${filter.operations.map(() => '?').join(', ')})`);
    params.push(...filter.operations);
  }
  if (filter.keyPrefix) {
    // A range, not LIKE: it uses the (bucket, object_key) index and treats % and _ literally.
    conditions.push('object_key >= ?');
    params.push(filter.keyPrefix);
    const end = prefixEnd(filter.keyPrefix);
    if (end !== undefined) {
      conditions.push('object_key < ?');
      params.push(end);
    }
  }
  const time = timeRangeWhere(filter, timeColumn);
  conditions.push(...time.conditions);
  params.push(...time.params);
  if (filter.text) {
    const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(`(${TEXT_COLUMNS.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    params.push(...TEXT_COLUMNS.map(() => pattern));
  }
  return { conditions, params };
}

/** Only the filter's time bounds (milliseconds since the epoch); no conditions when it has none. */
export function timeRangeWhere(filter: AuditFilter, timeColumn: TimeColumn = 'time'): WhereParts {
  const conditions: string[] = [];
  const params: SqlParam[] = [];
  if (filter.since) {
    conditions.push(`${timeColumn} >= ?`);
    params.push(filter.since.getTime());
  }
  if (filter.until) {
    conditions.push(`${timeColumn} < ?`);
    params.push(filter.until.getTime());
  }
  return { conditions, params };
}

/** Whether an equality on an indexed column narrows the filter (then that index beats the time index). */
export function hasIndexedEquality(filter: AuditFilter): boolean {
  const indexed = [filter.category, filter.bucket, filter.principal, filter.outcome, filter.keyId, filter.requestId, filter.sourceIp, filter.errorCode];
  return indexed.some((v) => v !== undefined) || (filter.operations?.length ?? 0) > 0;
}

/** `WHERE a AND b ` (with its trailing space), or '' for no conditions. */
export function whereSql(conditions: readonly string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')} ` : '';
}

/** The smallest string greater than every string starting with prefix (UTF-8 byte order = code point order). */
export function prefixEnd(prefix: string): string | undefined {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) return points.join('') + String.fromCodePoint(last + 1 === 0xd800 ? 0xe000 : last + 1);
  }
  return undefined;
}
