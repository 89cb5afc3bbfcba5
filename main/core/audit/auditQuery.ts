// Filtered, cursor-paginated reads of the access history, planned so every main filter walks one index.
import type { SqliteDatabase } from '../db/openDatabase.js';
import type { AuditCategory, AuditEvent, AuditOutcome, SseModeName } from './auditEvent.js';
import { decodeEvent } from './eventCodec.js';

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

export type AuditOrder = 'newest' | 'oldest';

export interface AuditPageRequest {
  /** 1..1000, default 50. */
  limit?: number;
  /** The nextCursor of the previous page; opaque to callers. */
  cursor?: string;
  /** Newest first by default. */
  order?: AuditOrder;
}

/** One stored event with its place in the chain. */
export interface AuditRecord {
  seq: number;
  hash: string;
  prevHash: string;
  event: AuditEvent;
}

export interface AuditPage {
  events: AuditRecord[];
  /** Present when more events match: pass it as `cursor` for the next page. */
  nextCursor?: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/**
 * Above this many events in a time range, a time-only query walks the table newest-first instead
 * of sorting the whole range from the time index: a page then costs a page, not the range.
 */
export const TIME_RANGE_SORT_LIMIT = 10_000;

const TEXT_COLUMNS = ['operation', 'bucket', 'object_key', 'principal', 'key_id', 'request_id', 'source_ip', 'error_code'];

export class AuditQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditQueryError';
  }
}

export function queryAuditEvents(db: SqliteDatabase, filter: AuditFilter = {}, page: AuditPageRequest = {}): AuditPage {
  const { sql, params, limit } = buildQuery(db, filter, page);
  const rows = db.prepare(sql).all(...params, limit + 1) as { seq: number; event_json: string; prev_hash: Buffer; hash: Buffer }[];
  const events = rows.slice(0, limit).map((row) => ({
    seq: row.seq,
    hash: row.hash.toString('hex'),
    prevHash: row.prev_hash.toString('hex'),
    event: decodeEvent(row.event_json),
  }));
  const last = events.at(-1);
  return rows.length > limit && last ? { events, nextCursor: String(last.seq) } : { events };
}

/** Every matching event, page by page (constant memory), oldest first unless asked otherwise. */
export function* iterateAuditEvents(db: SqliteDatabase, filter: AuditFilter = {}, order: AuditOrder = 'oldest'): Generator<AuditRecord> {
  let cursor: string | undefined;
  do {
    const page = queryAuditEvents(db, filter, { limit: MAX_PAGE_SIZE, order, ...(cursor ? { cursor } : {}) });
    yield* page.events;
    cursor = page.nextCursor;
  } while (cursor);
}

/** SQLite's plan for a query (EXPLAIN QUERY PLAN detail lines): how tests prove the filters use an index. */
export function explainAuditQuery(db: SqliteDatabase, filter: AuditFilter = {}, page: AuditPageRequest = {}): string[] {
  const { sql, params, limit } = buildQuery(db, filter, page);
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params, limit + 1) as { detail: string }[]).map((r) => r.detail);
}

function buildQuery(db: SqliteDatabase, filter: AuditFilter, page: AuditPageRequest): { sql: string; params: (string | number)[]; limit: number } {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw new AuditQueryError(`limit must be 1..${MAX_PAGE_SIZE}`);
  const order = page.order ?? 'newest';
  const where: string[] = [];
  const params: (string | number)[] = [];
  const equal = (column: string, value: string | number | undefined): void => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
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
    where.push(`operation IN (${filter.operations.map(() => '?').join(', ')})`);
    params.push(...filter.operations);
  }
  if (filter.keyPrefix) {
    // A range, not LIKE: it uses the (bucket, object_key) index and treats % and _ literally.
    where.push('object_key >= ?');
    params.push(filter.keyPrefix);
    const end = prefixEnd(filter.keyPrefix);
    if (end !== undefined) {
      where.push('object_key < ?');
      params.push(end);
    }
  }
  addTimeRange(db, filter, where, params);
  if (filter.text) {
    const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(`(${TEXT_COLUMNS.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    params.push(...TEXT_COLUMNS.map(() => pattern));
  }
  if (page.cursor !== undefined) {
    if (!/^[1-9][0-9]{0,15}$/.test(page.cursor)) throw new AuditQueryError('cursor is not one this log handed out');
    where.push(order === 'newest' ? 'seq < ?' : 'seq > ?');
    params.push(Number(page.cursor));
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')} ` : '';
  const sql = `SELECT seq, event_json, prev_hash, hash FROM events ${clause}ORDER BY seq ${order === 'newest' ? 'DESC' : 'ASC'} LIMIT ?`;
  return { sql, params, limit };
}

/**
 * With an equality filter beside it, the time range is a residual check and SQLite picks the
 * equality index. Alone, a narrow range is best served by the time index (then a small sort) and a
 * wide one by walking seq order; counting the range on the covering time index tells them apart.
 */
function addTimeRange(db: SqliteDatabase, filter: AuditFilter, where: string[], params: (string | number)[]): void {
  if (!filter.since && !filter.until) return;
  const bounds: string[] = [];
  const values: number[] = [];
  if (filter.since) {
    bounds.push('time >= ?');
    values.push(filter.since.getTime());
  }
  if (filter.until) {
    bounds.push('time < ?');
    values.push(filter.until.getTime());
  }
  const hasEquality = [filter.category, filter.bucket, filter.principal, filter.outcome, filter.keyId, filter.requestId, filter.sourceIp, filter.errorCode].some(
    (v) => v !== undefined,
  ) || (filter.operations?.length ?? 0) > 0;
  let column = 'time';
  if (!hasEquality) {
    const count = db.prepare(`SELECT count(*) FROM events WHERE ${bounds.join(' AND ')}`).pluck().get(...values) as number;
    // The unary + hides the column from the planner, so it cannot choose the time index.
    if (count > TIME_RANGE_SORT_LIMIT) column = '+time';
  }
  where.push(...bounds.map((b) => b.replace('time', column)));
  params.push(...values);
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
