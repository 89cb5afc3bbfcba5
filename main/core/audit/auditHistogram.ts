// Matching events counted per equal-width time bucket, failures beside them: one GROUP BY over the page query's WHERE.
import type { SqliteDatabase } from '../db/openDatabase.js';
import { AuditQueryError } from './auditQuery.js';
import { auditWhere, whereSql, type AuditFilter, type SqlParam, type WhereParts } from './auditWhere.js';

export const DEFAULT_HISTOGRAM_BUCKETS = 60;
export const MAX_HISTOGRAM_BUCKETS = 500;
/** Bucket width (milliseconds) when nothing matches and the filter gives no range: the last hour, by minute. */
export const EMPTY_HISTORY_BUCKET_MS = 60_000;

export interface AuditHistogramOptions {
  /** 1..500, default 60. */
  buckets?: number;
  /** Where an empty history's buckets end (default: the current time). */
  now?: Date;
}

export interface AuditHistogram {
  /** The first bucket's inclusive start. */
  from: Date;
  /** Every bucket's width in milliseconds (a whole number, at least 1): bucket i is [from + i·bucketMs, from + (i+1)·bucketMs). */
  bucketMs: number;
  /** Matching events per bucket. */
  counts: number[];
  /** Of those, the ones whose outcome is failure or denied. */
  failures: number[];
}

/** A time span cut into buckets: where the first starts, how wide each is, how many there are. */
export interface BucketLayout {
  from: number;
  bucketMs: number;
  count: number;
}

/**
 * Counts the events the filter matches per time bucket. The range is [since, until) when the filter
 * gives both; otherwise a missing end is taken from the oldest or newest matching event, and when
 * nothing matches, buckets of a minute end at `now`. The buckets asked for are all returned, except
 * when the range is shorter than that many milliseconds: then each bucket is 1 ms (one bucket when
 * the oldest and newest match are the same instant). Every matching event lands in exactly one
 * bucket, so the counts add up to the number of matches. Runs in one read transaction.
 * Throws AuditQueryError when `buckets` is not a whole number in 1..500.
 */
export function auditHistogram(db: SqliteDatabase, filter: AuditFilter = {}, options: AuditHistogramOptions = {}): AuditHistogram {
  const buckets = options.buckets ?? DEFAULT_HISTOGRAM_BUCKETS;
  if (!Number.isSafeInteger(buckets) || buckets < 1 || buckets > MAX_HISTOGRAM_BUCKETS) throw new AuditQueryError(`buckets must be 1..${MAX_HISTOGRAM_BUCKETS}`);
  const now = (options.now ?? new Date()).getTime();
  const where = auditWhere(filter);
  return db.transaction(() => {
    const span = histogramSpan(db, filter, where, buckets, now);
    const layout = bucketLayout(span.start, span.end, buckets);
    const counts = new Array<number>(layout.count).fill(0);
    const failures = new Array<number>(layout.count).fill(0);
    const rows = db.prepare(groupSql(where)).all(layout.from, layout.bucketMs, ...where.params) as { slot: number; events: number; failed: number }[];
    for (const row of rows) {
      counts[row.slot] = row.events;
      failures[row.slot] = row.failed;
    }
    return { from: new Date(layout.from), bucketMs: layout.bucketMs, counts, failures };
  })();
}

/**
 * Cuts [start, end) into at most `buckets` buckets of one whole-millisecond width whose union
 * covers it: min(buckets, end - start) of them, each ceil(span / count) wide. An empty or
 * inverted span is treated as 1 ms (one bucket).
 */
export function bucketLayout(start: number, end: number, buckets: number): BucketLayout {
  const span = Math.max(1, end - start);
  const count = Math.min(buckets, span);
  return { from: start, bucketMs: Math.ceil(span / count), count };
}

/** SQLite's plan (EXPLAIN QUERY PLAN detail lines) for the range lookup and then the GROUP BY: how tests prove an index is used. */
export function explainAuditHistogram(db: SqliteDatabase, filter: AuditFilter = {}): string[] {
  const where = auditWhere(filter);
  const plan = (sql: string, params: SqlParam[]): string[] => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
  return [...plan(rangeSql(where), where.params), ...plan(groupSql(where), [0, 1, ...where.params])];
}

/** The range as [start, end) in milliseconds since the epoch. */
function histogramSpan(db: SqliteDatabase, filter: AuditFilter, where: WhereParts, buckets: number, now: number): { start: number; end: number } {
  const since = filter.since?.getTime();
  const until = filter.until?.getTime();
  if (since !== undefined && until !== undefined) return { start: since, end: until };
  const matched = db.prepare(rangeSql(where)).get(...where.params) as { oldest: number | null; newest: number | null };
  if (matched.oldest === null || matched.newest === null) {
    const end = until ?? now;
    return { start: since ?? end - buckets * EMPTY_HISTORY_BUCKET_MS, end };
  }
  // The newest event's own millisecond belongs to the range, so it ends one past it.
  return { start: since ?? matched.oldest, end: until ?? matched.newest + 1 };
}

function rangeSql(where: WhereParts): string {
  return `SELECT min(time) AS oldest, max(time) AS newest FROM events ${whereSql(where.conditions)}`;
}

// The bound values arrive as REAL from better-sqlite3; the casts keep the division an integer one.
// The alias is not `bucket`: GROUP BY would take that for the events table's column of that name.
function groupSql(where: WhereParts): string {
  return (
    'SELECT (time - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS slot, count(*) AS events, ' +
    `sum(outcome IN ('failure', 'denied')) AS failed FROM events ${whereSql(where.conditions)}GROUP BY slot`
  );
}
