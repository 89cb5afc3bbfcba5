// Filtered, cursor-paginated reads of the access history, planned so every main filter walks one index.
import type { SqliteDatabase } from '../db/openDatabase.js';
import type { AuditEvent } from './auditEvent.js';
import { auditWhere, hasIndexedEquality, timeRangeWhere, whereSql, type AuditFilter, type TimeColumn } from './auditWhere.js';
import { decodeEvent } from './eventCodec.js';

export type { AuditFilter } from './auditWhere.js';
export { prefixEnd } from './auditWhere.js';

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
  const { conditions, params } = auditWhere(filter, pageTimeColumn(db, filter));
  if (page.cursor !== undefined) {
    if (!/^[1-9][0-9]{0,15}$/.test(page.cursor)) throw new AuditQueryError('cursor is not one this log handed out');
    conditions.push(order === 'newest' ? 'seq < ?' : 'seq > ?');
    params.push(Number(page.cursor));
  }
  const sql = `SELECT seq, event_json, prev_hash, hash FROM events ${whereSql(conditions)}ORDER BY seq ${order === 'newest' ? 'DESC' : 'ASC'} LIMIT ?`;
  return { sql, params, limit };
}

/**
 * With an equality filter beside it, the time range is a residual check and SQLite picks the
 * equality index. Alone, a narrow range is best served by the time index (then a small sort) and a
 * wide one by walking seq order; counting the range on the covering time index tells them apart.
 */
function pageTimeColumn(db: SqliteDatabase, filter: AuditFilter): TimeColumn {
  if ((!filter.since && !filter.until) || hasIndexedEquality(filter)) return 'time';
  const range = timeRangeWhere(filter);
  const count = db.prepare(`SELECT count(*) FROM events ${whereSql(range.conditions)}`).pluck().get(...range.params) as number;
  return count > TIME_RANGE_SORT_LIMIT ? '+time' : 'time';
}
