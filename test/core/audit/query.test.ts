// Filters and cursor pages against a reference filter, and the index each main filter walks at 100 000 events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../main/core/audit/auditEvent.js';
import { AuditQueryError, TIME_RANGE_SORT_LIMIT, explainAuditQuery, iterateAuditEvents, prefixEnd, queryAuditEvents, type AuditFilter } from '../../../main/core/audit/auditQuery.js';
import type { AuditLog } from '../../../main/core/audit/auditLog.js';
import { BASE_TIME, openLog, sampleEvent, tempDir, type TempDir } from './helpers.js';

const COUNT = 300;
const events: AuditEvent[] = Array.from({ length: COUNT }, (_, i) => sampleEvent(i + 1));
let tmp: TempDir;
let log: AuditLog;

beforeAll(async () => {
  tmp = tempDir();
  log = openLog(tmp.file);
  events.push(sampleEvent(COUNT + 1, { bucket: 'odd%_bucket', objectKey: 'a%b_c/x' }));
  for (const e of events) log.record(e);
  await log.flush();
});
afterAll(async () => {
  await log.close();
  tmp.cleanup();
});

/** Every match, newest first, through the cursor, two at a time. */
function allPages(filter: AuditFilter, limit = 7): AuditEvent[] {
  const out: AuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = log.query(filter, { limit, ...(cursor ? { cursor } : {}) });
    expect(page.events.length).toBeLessThanOrEqual(limit);
    out.push(...page.events.map((r) => r.event));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

function expected(match: (e: AuditEvent) => boolean): AuditEvent[] {
  return events.filter(match).reverse();
}

describe('query filters', () => {
  it.each<[string, AuditFilter, (e: AuditEvent) => boolean]>([
    ['category', { category: 'kms' }, (e) => e.category === 'kms'],
    ['operations', { operations: ['PutObject', 'DeleteObject'] }, (e) => e.operation === 'PutObject' || e.operation === 'DeleteObject'],
    ['bucket', { bucket: 'bucket-2' }, (e) => e.bucket === 'bucket-2'],
    ['bucket and key prefix', { bucket: 'bucket-2', keyPrefix: 'dir-3/' }, (e) => e.bucket === 'bucket-2' && e.objectKey!.startsWith('dir-3/')],
    ['principal', { principal: 'AKIA1' }, (e) => e.principal === 'AKIA1'],
    ['outcome', { outcome: 'failure' }, (e) => e.outcome === 'failure'],
    ['key id', { keyId: 'arn:aws:kms:us-east-1:000000000000:key/k2' }, (e) => e.keyId === 'arn:aws:kms:us-east-1:000000000000:key/k2'],
    ['request id', { requestId: 'req-42' }, (e) => e.requestId === 'req-42'],
    ['error code', { errorCode: 'AccessDenied' }, (e) => e.errorCode === 'AccessDenied'],
    ['http status', { httpStatus: 403 }, (e) => e.httpStatus === 403],
    [
      'time range',
      { since: new Date(BASE_TIME + 100_000), until: new Date(BASE_TIME + 150_000) },
      (e) => e.time.getTime() >= BASE_TIME + 100_000 && e.time.getTime() < BASE_TIME + 150_000,
    ],
    ['combined', { category: 's3', principal: 'AKIA2', outcome: 'success', since: new Date(BASE_TIME + 200_000) }, (e) => e.category === 's3' && e.principal === 'AKIA2' && e.outcome === 'success' && e.time.getTime() >= BASE_TIME + 200_000],
    ['free text', { text: 'FILE-12' }, (e) => (e.objectKey ?? '').includes('file-12')],
  ])('%s, across cursor pages', (_name, filter, match) => {
    expect(allPages(filter)).toEqual(expected(match));
  });

  it('treats % and _ literally in a key prefix and in free text', () => {
    expect(log.query({ keyPrefix: 'a%b_' }).events.map((r) => r.event.objectKey)).toEqual(['a%b_c/x']);
    expect(log.query({ keyPrefix: 'a%' }).events).toHaveLength(1);
    expect(log.query({ text: '%_' }).events.map((r) => r.event.bucket)).toEqual(['odd%_bucket']);
  });

  it('pages oldest first when asked, and the cursor continues where the last page ended', () => {
    const first = log.query({ bucket: 'bucket-1' }, { order: 'oldest', limit: 3 });
    expect(first.events.map((r) => r.event.requestId)).toEqual(['req-1', 'req-6', 'req-11']);
    const second = log.query({ bucket: 'bucket-1' }, { order: 'oldest', limit: 3, cursor: first.nextCursor! });
    expect(second.events.map((r) => r.event.requestId)).toEqual(['req-16', 'req-21', 'req-26']);
  });

  it('returns no cursor on the last page, and records with their chain fields', () => {
    const page = log.query({ requestId: 'req-5' });
    expect(page.nextCursor).toBeUndefined();
    expect(page.events).toHaveLength(1);
    expect(page.events[0]).toMatchObject({ seq: 5, hash: expect.stringMatching(/^[0-9a-f]{64}$/), prevHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('rejects a forged cursor and an out-of-range limit', () => {
    expect(() => log.query({}, { cursor: 'abc' })).toThrow(AuditQueryError);
    expect(() => log.query({}, { cursor: '0' })).toThrow(AuditQueryError);
    expect(() => log.query({}, { limit: 0 })).toThrow(AuditQueryError);
    expect(() => log.query({}, { limit: 5000 })).toThrow(AuditQueryError);
  });

  it('iterates every match in constant-size pages', () => {
    expect([...iterateAuditEvents(log.db, { category: 'kms' })].map((r) => r.event)).toEqual(expected((e) => e.category === 'kms').reverse());
  });

  it('computes the end of a prefix range by code point', () => {
    expect(prefixEnd('abc')).toBe('abd');
    expect(prefixEnd('a\u{10FFFF}')).toBe('b');
    expect(prefixEnd('\u{D7FF}')).toBe('\u{E000}');
    expect(prefixEnd('\u{10FFFF}')).toBeUndefined();
  });
});

describe('query plans over 100 000 events', () => {
  let big: TempDir;
  let bigLog: AuditLog;

  beforeAll(async () => {
    big = tempDir();
    bigLog = openLog(big.file, { batchSize: 4096 });
    // Flushed every 10 000: the queue is bounded, and one burst of 100 000 would drop the oldest half.
    for (let i = 1; i <= 100_000; i += 1) {
      bigLog.record(sampleEvent(i));
      if (i % 10_000 === 0) await bigLog.flush();
    }
    expect(bigLog.stats()).toMatchObject({ written: 100_000, dropped: 0 });
  }, 120_000);
  afterAll(async () => {
    await bigLog.close();
    big.cleanup();
  });

  it.each<[string, AuditFilter, string]>([
    ['category', { category: 'kms' }, 'events_category'],
    ['operation', { operations: ['DeleteObject'] }, 'events_operation'],
    ['bucket', { bucket: 'bucket-3' }, 'events_bucket'],
    ['principal', { principal: 'AKIA2' }, 'events_principal'],
    ['outcome', { outcome: 'failure' }, 'events_outcome'],
    ['key id', { keyId: 'arn:aws:kms:us-east-1:000000000000:key/k2' }, 'events_key_id'],
    ['request id', { requestId: 'req-99999' }, 'events_request_id'],
  ])('%s: walks %s in seq order, no full scan and no sort', (_name, filter, index) => {
    for (const page of [{}, { cursor: '50000' }]) {
      const plan = explainAuditQuery(bigLog.db, filter, page).join(' | ');
      expect(plan).toContain(`USING INDEX ${index}`);
      expect(plan).not.toMatch(/TEMP B-TREE|SCAN events/);
    }
    expect(bigLog.query(filter, { limit: 100 }).events.length).toBeGreaterThan(0);
  });

  it('bucket and prefix: a range on the (bucket, object_key) index', () => {
    const plan = explainAuditQuery(bigLog.db, { bucket: 'bucket-3', keyPrefix: 'dir-4/' }).join(' | ');
    expect(plan).toMatch(/USING INDEX events_bucket_key \(bucket=\? AND object_key>\? AND object_key<\?\)/);
  });

  it('a narrow time range uses the time index; a wide one walks seq order instead of sorting it', () => {
    const narrow = { since: new Date(BASE_TIME + 5_000_000), until: new Date(BASE_TIME + 5_100_000) };
    expect(explainAuditQuery(bigLog.db, narrow).join(' | ')).toContain('USING INDEX events_time (time>? AND time<?)');
    const wide = { since: new Date(BASE_TIME), until: new Date(BASE_TIME + (TIME_RANGE_SORT_LIMIT + 1) * 2000) };
    expect(explainAuditQuery(bigLog.db, wide).join(' | ')).not.toContain('TEMP B-TREE');
    expect(bigLog.query(wide, { limit: 100 }).events).toHaveLength(100);
    expect(bigLog.query(narrow, { limit: 1000 }).events).toHaveLength(100);
  });

  it('a filtered page over 100 000 events is served from an index (sanity read, no timing assertion)', () => {
    const page = queryAuditEvents(bigLog.db, { bucket: 'bucket-4', outcome: 'success' }, { limit: 100, cursor: '60000' });
    expect(page.events).toHaveLength(100);
    expect(page.events.every((r) => r.seq < 60000 && r.event.bucket === 'bucket-4')).toBe(true);
  });
});
