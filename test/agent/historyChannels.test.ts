// The access-history channels against a real agent over its control API: filtered pages, histogram, export pages, verify and tampering.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, HistoryEvent, HistoryFilter, HistoryHistogram, RequestOf, ResponseOf } from '../../preload/contract.js';
import { ApiError } from '../../main/agent/control/apiError.js';
import { AgentCallError, callAgent } from '../../main/agent/control/controlClient.js';
import { historyHandlers } from '../../main/agent/history/historyHandlers.js';
import { createLogger } from '../../main/agent/logger.js';
import { Agent } from '../../main/agent/runtime/agent.js';
import type { AuditEvent } from '../../main/core/audit/auditEvent.js';
import { iterateAuditEvents, type AuditFilter, type AuditRecord } from '../../main/core/audit/auditQuery.js';
import { BASE_TIME, sampleEvent, tamper } from '../core/audit/helpers.js';

const SEEDED = 300;
let base: string;
let dataDir: string;
let agent: Agent;
let api: { apiUrl: string; token: string };

const at = (i: number): Date => new Date(BASE_TIME + i * 1000);

async function startAgent(): Promise<void> {
  agent = await Agent.start({ dataDir, storePort: 0, storeHttpsPort: 0, apiPort: 0, env: {}, logger: createLogger('silent') });
  api = { apiUrl: agent.apiUrl, token: readFileSync(join(dataDir, 'agent.token'), 'utf8').trim() };
}

const call = <C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> => callAgent(api, channel, request);

async function refusal<C extends Channel>(channel: C, request: RequestOf<C>): Promise<AgentCallError> {
  const err = await callAgent(api, channel, request).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AgentCallError);
  return err as AgentCallError;
}

/** Every stored record, newest first, read straight from the agent's log (the reference the channels are held to). */
async function storedRecords(): Promise<AuditRecord[]> {
  await agent.auditLog.flush();
  return [...iterateAuditEvents(agent.auditLog.db, {}, 'newest')];
}

/** Every page of a listing, `limit` at a time, checking each page's size and that pages neither repeat nor skip. */
async function listAll(filter: HistoryFilter, limit: number): Promise<HistoryEvent[]> {
  const out: HistoryEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await call('history.list', { filter, limit, ...(cursor ? { cursor } : {}) });
    expect(page.events.length).toBeLessThanOrEqual(limit);
    if (page.nextCursor) expect(page.events).toHaveLength(limit);
    out.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor);
  const seqs = out.map((e) => e.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
  expect(new Set(seqs).size).toBe(seqs.length);
  return out;
}

const TEXT_FIELDS = ['operation', 'bucket', 'objectKey', 'principal', 'keyId', 'requestId', 'sourceIp', 'errorCode'] as const;
const containsText = (e: AuditEvent, text: string): boolean => TEXT_FIELDS.some((f) => (e[f] ?? '').toLowerCase().includes(text.toLowerCase()));
const isFailure = (e: { outcome: string }): boolean => e.outcome === 'failure' || e.outcome === 'denied';

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'coffer-history-'));
  dataDir = join(base, 'data');
  await startAgent();
  // Seeded through the agent's own log, every 25th (from 3) denied so both failed outcomes occur.
  for (let i = 1; i <= SEEDED; i += 1) agent.auditLog.record(i % 25 === 3 ? sampleEvent(i, { outcome: 'denied', httpStatus: 403, errorCode: 'AccessDenied' }) : sampleEvent(i));
  await agent.auditLog.flush();
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  rmSync(base, { recursive: true, force: true });
});

describe('history.list', () => {
  it.each<[string, HistoryFilter, (e: AuditEvent) => boolean]>([
    ['everything', {}, () => true],
    ['category', { category: 'kms' }, (e) => e.category === 'kms'],
    ['operation', { operation: 'PutObject' }, (e) => e.operation === 'PutObject'],
    ['bucket and key prefix', { bucket: 'bucket-2', keyPrefix: 'dir-3/' }, (e) => e.bucket === 'bucket-2' && (e.objectKey ?? '').startsWith('dir-3/')],
    ['outcome', { outcome: 'denied' }, (e) => e.outcome === 'denied'],
    ['free text, any case', { text: 'FILE-12' }, (e) => containsText(e, 'file-12')],
    ['time range', { since: at(40).toISOString(), until: at(95).toISOString() }, (e) => e.time >= at(40) && e.time < at(95)],
    ['combined', { category: 's3', outcome: 'success', since: at(200).toISOString() }, (e) => e.category === 's3' && e.outcome === 'success' && e.time >= at(200)],
  ])('%s: newest first, every match once across cursor pages', async (_name, filter, match) => {
    const expected = (await storedRecords()).filter((r) => match(r.event)).map((r) => r.seq);
    expect(expected.length).toBeGreaterThan(1);
    expect((await listAll(filter, 7)).map((e) => e.seq)).toEqual(expected);
  });

  it('pages 100 events by default, with a cursor to the older ones', async () => {
    const stored = await storedRecords();
    const page = await call('history.list', {});
    expect(page.events.map((e) => e.seq)).toEqual(stored.slice(0, 100).map((r) => r.seq));
    expect(page.nextCursor).toBeDefined();
    const next = await call('history.list', { cursor: page.nextCursor! });
    expect(next.events[0]!.seq).toBe(stored[100]!.seq);
  });

  it('shows an event as the UI needs it: chain fields, ISO time, and only the fields it has', async () => {
    const { events } = await call('history.list', { filter: { since: at(7).toISOString(), until: at(8).toISOString() } });
    const stored = (await storedRecords()).find((r) => r.event.requestId === 'req-7')!;
    const { time, ...fields } = sampleEvent(7);
    expect(events).toEqual([{ seq: stored.seq, hash: stored.hash, time: time.toISOString(), ...fields }]);
    expect(events[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    // A KMS event lacks the S3 fields: the handler leaves them out rather than sending undefined.
    const kms = await historyHandlers(agent)['history.list']({ filter: { category: 'kms', since: at(10).toISOString() }, limit: 1 });
    expect(Object.entries(kms.events[0]!).filter(([, v]) => v === undefined)).toEqual([]);
    expect(kms.events[0]).not.toHaveProperty('bucket');
  });

  it('shows what was recorded a moment ago, before the log would have committed it on its own', async () => {
    // A commit starts now, so the log's own next one waits out its minimum interval.
    agent.auditLog.record(sampleEvent(1, { time: new Date(), operation: 'JustNow', requestId: 'just-now' }));
    await agent.auditLog.flush();
    agent.auditLog.record(sampleEvent(2, { time: new Date(), operation: 'JustNow', requestId: 'just-now-2' }));
    expect(agent.auditLog.stats().queued).toBe(1);
    const { events } = await call('history.list', { filter: { operation: 'JustNow' } });
    expect(events.map((e) => e.requestId)).toEqual(['just-now-2', 'just-now']);
  });

  it('refuses a cursor it did not hand out, over the wire and from the handler itself', async () => {
    expect((await refusal('history.list', { cursor: 'abc' })).code).toBe('InvalidRequest');
    const direct = await historyHandlers(agent)['history.list']({ cursor: '0' }).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(ApiError);
    expect(direct).toMatchObject({ code: 'InvalidRequest', message: expect.stringMatching(/cursor/) });
  });
});

describe('history.histogram', () => {
  /** Places each listed event in its bucket by hand. */
  function byHand(histogram: HistoryHistogram, events: { time: string | Date; outcome: string }[]): { counts: number[]; failures: number[] } {
    const counts = histogram.counts.map(() => 0);
    const failures = histogram.counts.map(() => 0);
    for (const e of events) {
      const i = Math.floor((new Date(e.time).getTime() - Date.parse(histogram.from)) / histogram.bucketMs);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(i).toBeLessThan(counts.length);
      counts[i]! += 1;
      if (isFailure(e)) failures[i]! += 1;
    }
    return { counts, failures };
  }

  it('counts the events of [since, until) per bucket, failed or denied ones beside them', async () => {
    const filter = { since: at(1).toISOString(), until: at(SEEDED + 1).toISOString() };
    const histogram = await call('history.histogram', { filter, buckets: 30 });
    expect(histogram.from).toBe(filter.since);
    expect(histogram.counts).toHaveLength(30);
    expect(histogram.counts.reduce((a, b) => a + b, 0)).toBe(SEEDED);
    const listed = await listAll(filter, 1000);
    expect(listed.filter((e) => e.outcome === 'failure').length).toBeGreaterThan(0);
    expect(listed.filter((e) => e.outcome === 'denied').length).toBeGreaterThan(0);
    expect(histogram).toMatchObject(byHand(histogram, listed));
  });

  it('without a range, spans the oldest to the newest match, and its sums equal the matches', async () => {
    const filter: HistoryFilter = { category: 's3', outcome: 'denied' };
    const listed = await listAll(filter, 1000);
    const histogram = await call('history.histogram', { filter });
    expect(histogram.counts).toHaveLength(60);
    expect(histogram.from).toBe(listed.at(-1)!.time);
    expect(histogram.counts.reduce((a, b) => a + b, 0)).toBe(listed.length);
    expect(histogram.failures).toEqual(histogram.counts);
    expect(histogram).toMatchObject(byHand(histogram, listed));
  });

  it('zero-fills the buckets, ending now, when nothing matches', async () => {
    const before = Date.now();
    const histogram = await call('history.histogram', { filter: { operation: 'NoSuchOperation' }, buckets: 12 });
    const after = Date.now();
    expect(histogram.counts).toEqual(new Array(12).fill(0));
    expect(histogram.failures).toEqual(new Array(12).fill(0));
    const end = Date.parse(histogram.from) + 12 * histogram.bucketMs;
    expect(end).toBeGreaterThanOrEqual(before);
    expect(end).toBeLessThanOrEqual(after);
  });

  it('refuses a bucket count outside 1..500', async () => {
    expect((await refusal('history.histogram', { buckets: 501 })).code).toBe('InvalidRequest');
    await expect(historyHandlers(agent)['history.histogram']({ buckets: 0 })).rejects.toMatchObject({ code: 'InvalidRequest' });
  });
});

describe('history.verify', () => {
  it('accepts the untouched history and says how many events it checked', async () => {
    const result = await call('history.verify', {});
    expect(result).toEqual({ ok: true, checked: (await storedRecords()).length, verifiedAt: expect.any(String) });
    expect(Number.isNaN(Date.parse(result.verifiedAt))).toBe(false);
  });
});

describe('history.export', () => {
  beforeAll(async () => {
    // Enough events for three pages; flushed in slices, as the log's queue is bounded.
    for (let i = 1; i <= 11_000; i += 1) {
      agent.auditLog.record(sampleEvent(SEEDED + i));
      if (i % 4000 === 0) await agent.auditLog.flush();
    }
    await agent.auditLog.flush();
  }, 60_000);

  async function exportAll(filter?: HistoryFilter): Promise<{ lines: string; counts: number[] }> {
    let lines = '';
    const counts: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('history.export', { ...(filter ? { filter } : {}), ...(cursor ? { cursor } : {}) });
      expect(page.lines.split('\n').length - 1).toBe(page.count);
      lines += page.lines;
      counts.push(page.count);
      cursor = page.nextCursor;
    } while (cursor);
    return { lines, counts };
  }

  const reference = (filter: AuditFilter = {}): string => [...agent.auditLog.exportJsonLines(filter)].join('');

  it('pages of at most 5 000 lines, oldest first, that join into the CLI export', async () => {
    const { lines, counts } = await exportAll();
    const total = (await storedRecords()).length;
    expect(counts).toEqual([5000, 5000, total - 10_000]);
    expect(lines).toBe(reference());
    const first = JSON.parse(lines.slice(0, lines.indexOf('\n'))) as { eventTime: string };
    expect(first.eventTime).toBeDefined();
  });

  it('honours the filter, with no cursor when one page holds it all', async () => {
    const { lines, counts } = await exportAll({ category: 'kms', since: at(100).toISOString() });
    expect(counts).toHaveLength(1);
    expect(counts[0]).toBeGreaterThan(1000);
    expect(lines).toBe(reference({ category: 'kms', since: at(100) }));
  });
});

describe('history.verify after tampering', () => {
  it('names the first edited event once the agent reads the file again', async () => {
    const file = agent.auditLog.db.name;
    const victim = (await storedRecords()).find((r) => r.event.requestId === 'req-151')!;
    await agent.stop();
    tamper(file, (db) => {
      const edit = db.prepare(`UPDATE events SET event_json = replace(event_json, '"bytes":4096', '"bytes":1') WHERE seq = ?`).run(victim.seq);
      expect(edit.changes).toBe(1);
      expect(db.prepare('SELECT event_json FROM events WHERE seq = ?').pluck().get(victim.seq)).toContain('"bytes":1,');
    });
    await startAgent();
    const result = await call('history.verify', {});
    expect(result).toMatchObject({ ok: false, checked: victim.seq - 1, firstBadSeq: victim.seq, reason: expect.stringMatching(/hash mismatch/) });
  }, 60_000);
});
