// AuditLog writing: batching, refusal of secrets, a bounded queue when the disk is gone, digests on close.
import { readFileSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditKeyError } from '../../../main/core/audit/logSettings.js';
import type { AuditEvent } from '../../../main/core/audit/auditEvent.js';
import { AuditLog } from '../../../main/core/audit/auditLog.js';
import { OTHER_ROOT_KEY, ROOT_KEY, openLog, sampleEvent, tempDir, writeLog, type TempDir } from './helpers.js';

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 2));
  }
}

function rows(file: string, sql: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

describe('AuditLog batching', () => {
  it('commits a burst of record() calls in one transaction, without being asked to flush', async () => {
    const log = openLog(tmp.file, { batchSize: 256 });
    for (let i = 1; i <= 3000; i += 1) log.record(sampleEvent(i));
    expect(log.stats()).toMatchObject({ queued: 3000, written: 0, batches: 0 });
    await waitFor(() => log.stats().written === 3000);
    expect(log.stats().batches).toBe(1);
    await log.close();
    expect(rows(tmp.file, 'SELECT count(*) AS n FROM events')).toEqual([{ n: 3000 }]);
  });

  it('writes a trickle after the flush delay, many events per transaction', async () => {
    const log = openLog(tmp.file, { batchSize: 1000, flushDelayMs: 20 });
    for (let burst = 0; burst < 10; burst += 1) {
      for (let i = 1; i <= 20; i += 1) log.record(sampleEvent(burst * 20 + i));
      await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => log.stats().written === 200);
    expect(log.stats().batches).toBeLessThanOrEqual(3);
    await log.close();
  });

  it('record() never throws, whatever it is given', async () => {
    const log = openLog(tmp.file);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => log.record(null as unknown as AuditEvent)).not.toThrow();
    expect(() => log.record(sampleEvent(1, { details: cyclic }))).not.toThrow();
    expect(() => log.record({} as AuditEvent)).not.toThrow();
    await log.flush();
    expect(log.stats()).toMatchObject({ refused: 3, written: 2 }); // two loss notices: unserializable and invalid
    await log.close();
    expect(() => log.record(sampleEvent(2))).not.toThrow();
    expect(log.stats().dropped).toBe(1);
  });

  it('signs a digest at every multiple of the interval and over the tail on close', async () => {
    await writeLog(tmp.file, 25, { digestInterval: 10, batchSize: 7 });
    expect(rows(tmp.file, 'SELECT first_seq AS f, last_seq AS l FROM digests ORDER BY last_seq')).toEqual([
      { f: 1, l: 10 },
      { f: 11, l: 20 },
      { f: 21, l: 25 },
    ]);
  });

  it('refuses to append with a root key that did not create the log', async () => {
    await writeLog(tmp.file, 3);
    expect(() => AuditLog.open(tmp.file, { rootKey: OTHER_ROOT_KEY })).toThrow(AuditKeyError);
  });
});

describe('AuditLog secrets', () => {
  it('refuses events with secret-named fields, counts them, and logs that it did', async () => {
    const log = openLog(tmp.file);
    const secret = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';
    log.record(sampleEvent(1));
    log.record(sampleEvent(2, { details: { requestParameters: { secretAccessKey: secret } } }));
    log.record(sampleEvent(3, { details: { customerKey: secret } }));
    log.record({ ...sampleEvent(4), passphrase: secret } as AuditEvent);
    await log.close();
    expect(log.stats()).toMatchObject({ refused: 3, dropped: 0 });
    const ops = rows(tmp.file, 'SELECT operation, event_json FROM events ORDER BY seq') as { operation: string; event_json: string }[];
    expect(ops.map((r) => r.operation)).toEqual(['AuditEventsDropped', 'GetObject']);
    expect(JSON.parse(ops[0]!.event_json).details).toMatchObject({ reason: 'secret-field', count: 3 });
    for (const name of ['audit.db', 'audit.db-wal']) {
      const path = `${tmp.dir}/${name}`;
      if (existsSync(path)) expect(readFileSync(path).includes(secret)).toBe(false);
    }
  });
});

describe('AuditLog when the disk is unavailable', () => {
  it('keeps at most maxQueue events, drops the oldest, and records the loss when writing resumes', async () => {
    const log = openLog(tmp.file, { maxQueue: 100, busyTimeoutMs: 5, batchSize: 10 });
    // Another process holding the write lock: every commit fails with SQLITE_BUSY, as on a stalled disk.
    const blocker = new Database(tmp.file);
    blocker.exec('BEGIN IMMEDIATE');
    for (let i = 1; i <= 250; i += 1) log.record(sampleEvent(i));
    await expect(log.flush()).rejects.toThrow(/locked|busy/i);
    expect(log.stats()).toMatchObject({ queued: 100, dropped: 150, written: 0 });
    expect(log.stats().writeErrors).toBeGreaterThanOrEqual(1);
    blocker.exec('COMMIT');
    blocker.close();
    await log.flush();
    expect(log.stats()).toMatchObject({ queued: 0, written: 101 });
    expect(log.verify().ok).toBe(true);
    const page = log.query({}, { order: 'oldest', limit: 3 });
    expect(page.events[0]!.event).toMatchObject({ category: 'admin', operation: 'AuditEventsDropped', details: { reason: 'queue-full', count: 150 } });
    // The newest events survived: 151..250.
    expect(page.events[1]!.event.requestId).toBe('req-151');
    expect(log.query({}, { limit: 1 }).events[0]!.event.requestId).toBe('req-250');
    await log.close();
  });

  it('retries on its own once the lock is released', async () => {
    const log = openLog(tmp.file, { busyTimeoutMs: 5 });
    const blocker = new Database(tmp.file);
    blocker.exec('BEGIN IMMEDIATE');
    log.record(sampleEvent(1));
    await waitFor(() => log.stats().writeErrors > 0);
    blocker.exec('COMMIT');
    blocker.close();
    await waitFor(() => log.stats().written === 1);
    await log.close();
  });

  it('waits for a lock on its writer thread: the event loop keeps running meanwhile', async () => {
    const log = openLog(tmp.file, { busyTimeoutMs: 3000 });
    log.record(sampleEvent(1));
    await log.flush(); // the writer thread is up
    const blocker = new Database(tmp.file);
    blocker.exec('BEGIN IMMEDIATE');
    log.record(sampleEvent(2));
    const flushed = log.flush();
    let ticks = 0;
    const started = Date.now();
    while (Date.now() - started < 300) {
      await new Promise((r) => setTimeout(r, 5));
      ticks += 1;
    }
    expect(ticks).toBeGreaterThan(20); // a commit on this thread would have blocked all 300 ms
    expect(log.stats().written).toBe(1);
    blocker.exec('COMMIT');
    blocker.close();
    await flushed;
    expect(log.stats().written).toBe(2);
    await log.close();
  });

  it('uses the given root key for a fresh log and verifies with it', async () => {
    await writeLog(tmp.file, 5);
    const log = AuditLog.open(tmp.file, { rootKey: ROOT_KEY });
    expect(log.verify()).toMatchObject({ ok: true, checked: 5, digests: 1 });
    await log.close();
  });
});
