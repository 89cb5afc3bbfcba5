// The histogram against a reference count over the same events, its range rules, and its plan (and a page's) at 100 000 events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../main/core/audit/auditEvent.js';
import { auditHistogram, bucketLayout, explainAuditHistogram, EMPTY_HISTORY_BUCKET_MS, type AuditHistogram } from '../../../main/core/audit/auditHistogram.js';
import type { AuditLog } from '../../../main/core/audit/auditLog.js';
import { AuditQueryError, explainAuditQuery, type AuditFilter } from '../../../main/core/audit/auditQuery.js';
import { BASE_TIME, openLog, sampleEvent, tempDir, type TempDir } from './helpers.js';

type Match = (e: AuditEvent) => boolean;

const COUNT = 300;
/** Sample events, every 25th (from 3) denied, so both failed outcomes are present. */
const events: AuditEvent[] = Array.from({ length: COUNT }, (_, n) => {
  const i = n + 1;
  return i % 25 === 3 ? sampleEvent(i, { outcome: 'denied', httpStatus: 403, errorCode: 'AccessDenied' }) : sampleEvent(i);
});
const isFailure = (e: AuditEvent): boolean => e.outcome === 'failure' || e.outcome === 'denied';
let tmp: TempDir;
let log: AuditLog;

beforeAll(async () => {
  tmp = tempDir();
  log = openLog(tmp.file);
  for (const e of events) log.record(e);
  await log.flush();
});
afterAll(async () => {
  await log.close();
  tmp.cleanup();
});

/** What the histogram must hold: each matching event placed by its own time, counted in plain code. */
function reference(source: Iterable<AuditEvent>, match: Match, histogram: AuditHistogram): { counts: number[]; failures: number[] } {
  const counts = histogram.counts.map(() => 0);
  const failures = histogram.counts.map(() => 0);
  for (const e of source) {
    if (!match(e)) continue;
    const bucket = Math.floor((e.time.getTime() - histogram.from.getTime()) / histogram.bucketMs);
    expect(bucket, `event at ${e.time.toISOString()} falls outside every bucket`).toBeGreaterThanOrEqual(0);
    expect(bucket).toBeLessThan(counts.length);
    counts[bucket]! += 1;
    if (isFailure(e)) failures[bucket]! += 1;
  }
  return { counts, failures };
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const at = (i: number): Date => new Date(BASE_TIME + i * 1000);

describe('histogram', () => {
  it.each<[string, AuditFilter, Match]>([
    ['everything', {}, () => true],
    ['category', { category: 'kms' }, (e) => e.category === 'kms'],
    ['operation', { operations: ['PutObject'] }, (e) => e.operation === 'PutObject'],
    ['bucket and key prefix', { bucket: 'bucket-2', keyPrefix: 'dir-3/' }, (e) => e.bucket === 'bucket-2' && e.objectKey!.startsWith('dir-3/')],
    ['outcome', { outcome: 'denied' }, (e) => e.outcome === 'denied'],
    ['free text', { text: 'FILE-1' }, (e) => (e.objectKey ?? '').includes('file-1')],
    ['since only', { since: at(120), category: 's3' }, (e) => e.time >= at(120) && e.category === 's3'],
    ['until only', { until: at(77) }, (e) => e.time < at(77)],
  ])('%s: from the oldest to the newest match, counts and failures as counted by hand', (_name, filter, match) => {
    const histogram = auditHistogram(log.db, filter, { buckets: 13 });
    const matching = events.filter(match);
    expect(matching.length).toBeGreaterThan(1);
    expect(histogram.counts).toHaveLength(13);
    expect(histogram.from).toEqual(filter.since ?? matching[0]!.time);
    expect(histogram.from.getTime() + 13 * histogram.bucketMs).toBeGreaterThan((filter.until ?? matching.at(-1)!.time).getTime() - (filter.until ? 1 : 0));
    expect(histogram).toMatchObject(reference(events, match, histogram));
    expect(sum(histogram.counts)).toBe(matching.length);
    expect(sum(histogram.failures)).toBe(matching.filter(isFailure).length);
  });

  it('counts both failed outcomes, and only them, as failures', () => {
    const histogram = auditHistogram(log.db, { category: 's3' }, { buckets: 1 });
    const s3 = events.filter((e) => e.category === 's3');
    expect(s3.filter((e) => e.outcome === 'failure').length).toBeGreaterThan(0);
    expect(s3.filter((e) => e.outcome === 'denied').length).toBeGreaterThan(0);
    expect(histogram.counts).toEqual([s3.length]);
    expect(histogram.failures).toEqual([s3.filter(isFailure).length]);
  });

  it('covers [since, until) exactly: an event at since counts, one at until does not', () => {
    const histogram = auditHistogram(log.db, { since: at(10), until: at(250) }, { buckets: 7 });
    expect(histogram.from).toEqual(at(10));
    expect(histogram.bucketMs).toBe(Math.ceil(240_000 / 7));
    expect(sum(histogram.counts)).toBe(240);
    expect(histogram.counts[0]).toBeGreaterThan(0);
    expect(histogram).toMatchObject(reference(events, (e) => e.time >= at(10) && e.time < at(250), histogram));
  });

  it('keeps the buckets asked for over an explicit range with no match in it', () => {
    const histogram = auditHistogram(log.db, { since: at(1000), until: at(1060) }, { buckets: 6 });
    expect(histogram).toEqual({ from: at(1000), bucketMs: 10_000, counts: [0, 0, 0, 0, 0, 0], failures: [0, 0, 0, 0, 0, 0] });
  });

  it('has one bucket when the oldest and the newest match are the same instant', () => {
    expect(auditHistogram(log.db, { requestId: 'req-42' })).toEqual({ from: at(42), bucketMs: 1, counts: [1], failures: [0] });
  });

  it('uses 1 ms buckets when the range is shorter than the buckets asked for', () => {
    const histogram = auditHistogram(log.db, { since: new Date(at(5).getTime() - 2), until: new Date(at(5).getTime() + 3) }, { buckets: 60 });
    expect(histogram).toEqual({ from: new Date(at(5).getTime() - 2), bucketMs: 1, counts: [0, 0, 1, 0, 0], failures: [0, 0, 0, 0, 0] });
  });

  it('gives zero-filled buckets ending now (or at until) when nothing matches', () => {
    const now = new Date(Date.UTC(2030, 0, 1));
    const none = { operations: ['NoSuchOperation'] };
    expect(auditHistogram(log.db, none, { buckets: 4, now })).toEqual({
      from: new Date(now.getTime() - 4 * EMPTY_HISTORY_BUCKET_MS),
      bucketMs: EMPTY_HISTORY_BUCKET_MS,
      counts: [0, 0, 0, 0],
      failures: [0, 0, 0, 0],
    });
    const sinceOnly = auditHistogram(log.db, { ...none, since: new Date(now.getTime() - 3_000) }, { buckets: 3, now });
    expect(sinceOnly).toMatchObject({ from: new Date(now.getTime() - 3_000), bucketMs: 1_000, counts: [0, 0, 0] });
    const untilOnly = auditHistogram(log.db, { ...none, until: at(0) }, { buckets: 2, now });
    expect(untilOnly).toMatchObject({ from: new Date(at(0).getTime() - 2 * EMPTY_HISTORY_BUCKET_MS), counts: [0, 0] });
  });

  it('refuses a bucket count outside 1..500', () => {
    for (const buckets of [0, 501, 2.5, Number.NaN]) expect(() => auditHistogram(log.db, {}, { buckets })).toThrow(AuditQueryError);
    expect(auditHistogram(log.db, {}, { buckets: 500 }).counts).toHaveLength(500);
  });

  it('lays out buckets of one whole width that cover the range and no more than were asked for', () => {
    for (const [span, buckets] of [[1, 60], [2, 60], [59, 60], [60, 60], [61, 60], [101, 60], [3_599_001, 60], [1e10 + 7, 500], [5, 1]] as const) {
      const layout = bucketLayout(1000, 1000 + span, buckets);
      expect(Number.isInteger(layout.bucketMs) && layout.bucketMs >= 1).toBe(true);
      expect(layout.count).toBe(Math.min(buckets, span));
      expect(layout.count * layout.bucketMs).toBeGreaterThanOrEqual(span);
      // The last millisecond of the range falls in the last bucket at the latest.
      expect(Math.floor((span - 1) / layout.bucketMs)).toBeLessThan(layout.count);
    }
    expect(bucketLayout(500, 400, 60)).toEqual({ from: 500, bucketMs: 1, count: 1 });
  });
});

describe('histogram and page plans over 100 000 events', () => {
  const BIG = 100_000;
  let big: TempDir;
  let bigLog: AuditLog;

  beforeAll(async () => {
    big = tempDir();
    bigLog = openLog(big.file, { batchSize: 4096, minCommitIntervalMs: 0 });
    // Flushed every 10 000: the queue is bounded, and one burst of 100 000 would drop the oldest half.
    for (let i = 1; i <= BIG; i += 1) {
      bigLog.record(sampleEvent(i));
      if (i % 10_000 === 0) await bigLog.flush();
    }
    expect(bigLog.stats()).toMatchObject({ written: BIG, dropped: 0 });
  }, 120_000);
  afterAll(async () => {
    await bigLog.close();
    big.cleanup();
  });

  const narrow: AuditFilter = { since: at(50_000), until: at(50_100) };
  it.each<[string, AuditFilter, string]>([
    ['category', { category: 'kms' }, 'events_category'],
    ['operation', { operations: ['DeleteObject'] }, 'events_operation'],
    ['bucket', { bucket: 'bucket-3' }, 'events_bucket'],
    ['bucket and key prefix', { bucket: 'bucket-3', keyPrefix: 'dir-4/' }, 'events_bucket_key'],
    ['outcome', { outcome: 'failure' }, 'events_outcome'],
    ['principal', { principal: 'AKIA2' }, 'events_principal'],
    ['key id', { keyId: 'arn:aws:kms:us-east-1:000000000000:key/k2' }, 'events_key_id'],
    ['narrow time range', narrow, 'events_time'],
  ])('%s: the histogram and a filtered page search %s instead of scanning the table', (_name, filter, index) => {
    const histogram = explainAuditHistogram(bigLog.db, filter).join(' | ');
    expect(histogram).toContain(`USING INDEX ${index}`);
    expect(histogram).not.toMatch(/SCAN events/);
    const page = explainAuditQuery(bigLog.db, filter, { limit: 100, cursor: '60000' }).join(' | ');
    expect(page).toMatch(/SEARCH events USING (COVERING )?INDEX events_/);
    expect(page).not.toMatch(/SCAN events/);
  });

  it('a wide time range alone: the histogram searches the time index (a page walks seq order, bounded by its limit)', () => {
    const wide = { since: at(1), until: at(90_000) };
    expect(explainAuditHistogram(bigLog.db, wide).join(' | ')).toContain('SEARCH events USING INDEX events_time (time>? AND time<?)');
    const plan = explainAuditHistogram(bigLog.db, { ...wide, category: 's3' }).join(' | ');
    expect(plan).not.toMatch(/SCAN events/);
  });

  it('free text has no index: the plan says so, which is what the assertions above would catch', () => {
    expect(explainAuditHistogram(bigLog.db, { text: 'file-1' }).join(' | ')).toMatch(/SCAN events/);
  });

  it('counts every matching event once over the whole history', () => {
    const all = Array.from({ length: BIG }, (_, n) => sampleEvent(n + 1));
    for (const [filter, match] of [
      [{ bucket: 'bucket-2' }, (e: AuditEvent) => e.bucket === 'bucket-2'],
      [{ category: 's3', since: at(12_345), until: at(87_654) }, (e: AuditEvent) => e.category === 's3' && e.time >= at(12_345) && e.time < at(87_654)],
    ] as const) {
      const histogram = auditHistogram(bigLog.db, filter, { buckets: 97 });
      expect(histogram).toMatchObject(reference(all, match, histogram));
      expect(sum(histogram.counts)).toBe(all.filter(match).length);
      expect(sum(histogram.failures)).toBeGreaterThan(0);
    }
  });
});
