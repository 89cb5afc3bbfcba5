// Retention: prune behind a signed checkpoint, and what verify still catches afterwards.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditPruneRefusedError } from '../../../main/core/audit/pruneLog.js';
import { BASE_TIME, openLog, sampleEvent, tamper, tempDir, writeLog, type TempDir } from './helpers.js';
import type { AuditLog } from '../../../main/core/audit/auditLog.js';

let tmp: TempDir;
beforeEach(async () => {
  tmp = tempDir();
  // Events 1..100 at BASE_TIME + i seconds; digests every 10.
  await writeLog(tmp.file, 100, { digestInterval: 10 });
});
afterEach(() => tmp.cleanup());

const cutoff = (seq: number): Date => new Date(BASE_TIME + seq * 1000 + 500);

async function withLog<T>(use: (log: AuditLog) => T | Promise<T>): Promise<T> {
  const log = openLog(tmp.file);
  try {
    return await use(log);
  } finally {
    await log.close();
  }
}

describe('prune', () => {
  it('deletes the old prefix, leaves a signed checkpoint, and the rest still verifies', async () => {
    const result = await withLog((log) => log.prune(cutoff(40)));
    expect(result).toMatchObject({ pruned: 40, checkpoint: { seq: 40, hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    await withLog((log) => {
      expect(log.verify()).toMatchObject({ ok: true, checkpointSeq: 40, checked: 61 });
      expect(log.query({}, { order: 'oldest', limit: 1 }).events[0]!.seq).toBe(41);
      // The prune itself is in the log, chained after event 100.
      expect(log.query({ operations: ['PruneAuditLog'] }).events[0]).toMatchObject({ seq: 101, event: { category: 'admin', details: { pruned: 40, checkpointSeq: 40 } } });
    });
  });

  it('catches tampering after the checkpoint', async () => {
    await withLog((log) => log.prune(cutoff(40)));
    tamper(tmp.file, (db) => db.prepare("UPDATE events SET event_json = replace(event_json, 'req-55', 'req-5') WHERE seq = 55").run());
    await withLog((log) => expect(log.verify().firstBad).toEqual({ seq: 55, reason: 'hash mismatch (edited row)' }));
  });

  it('catches an event slipped in before the checkpoint, and a forged checkpoint', async () => {
    await withLog((log) => log.prune(cutoff(40)));
    tamper(tmp.file, (db) =>
      db.prepare("INSERT INTO events (seq, time, category, operation, outcome, event_json, prev_hash, hash) SELECT 5, time, category, operation, outcome, event_json, prev_hash, hash FROM events WHERE seq = 41").run(),
    );
    await withLog((log) => expect(log.verify().firstBad).toEqual({ seq: 5, reason: 'event precedes the checkpoint at event 40 (inserted after pruning)' }));
    tamper(tmp.file, (db) => {
      db.prepare('DELETE FROM events WHERE seq <= 50').run();
      db.prepare("UPDATE checkpoints SET seq = 50, hash = (SELECT prev_hash FROM events WHERE seq = 51)").run();
    });
    await withLog((log) => expect(log.verify().firstBad).toEqual({ seq: 50, reason: 'forged checkpoint signature' }));
  });

  it('refuses to prune a broken log unless forced; forced, the pruned tampering no longer matters', async () => {
    tamper(tmp.file, (db) => db.prepare("UPDATE events SET event_json = replace(event_json, '4096', '1') WHERE seq = 5").run());
    await withLog((log) => {
      expect(() => log.prune(cutoff(40))).toThrow(AuditPruneRefusedError);
      expect(log.query({}, { order: 'oldest', limit: 1 }).events[0]!.seq).toBe(1);
      const forced = log.prune(cutoff(40), { force: true });
      expect(forced).toMatchObject({ pruned: 40, brokenAt: { seq: 5 } });
    });
    await withLog((log) => {
      expect(log.verify()).toMatchObject({ ok: true, checkpointSeq: 40 });
      expect(log.query({ operations: ['PruneAuditLog'] }).events[0]!.event.details).toMatchObject({ brokenAt: { seq: 5, reason: 'hash mismatch (edited row)' } });
    });
  });

  it('prunes only a prefix when event times are out of order', async () => {
    const fresh = tempDir();
    try {
      const log = openLog(fresh.file);
      for (let i = 1; i <= 20; i += 1) log.record(sampleEvent(i, i === 8 ? { time: new Date(BASE_TIME + 99_000) } : {}));
      await log.flush();
      expect(log.prune(cutoff(15))).toMatchObject({ pruned: 7, checkpoint: { seq: 7 } });
      await log.close();
    } finally {
      fresh.cleanup();
    }
  });

  it('continues the chain from the checkpoint after pruning everything, and prunes again', async () => {
    await withLog((log) => {
      expect(log.prune(new Date(BASE_TIME + 10_000_000)).pruned).toBe(100);
    });
    await withLog(async (log) => {
      // Only the PruneAuditLog event is left, chained from the checkpoint.
      expect(log.verify()).toMatchObject({ ok: true, checkpointSeq: 100, checked: 1 });
      for (let i = 200; i < 230; i += 1) log.record(sampleEvent(i, { time: new Date(Date.now() + 3_600_000 + i) }));
      await log.flush();
      expect(log.verify()).toMatchObject({ ok: true, checked: 31, lastSeq: 131 });
      expect(log.prune(new Date(Date.now() + 1_800_000))).toMatchObject({ pruned: 1, checkpoint: { seq: 101 } });
    });
    await withLog((log) => {
      expect(log.verify()).toMatchObject({ ok: true, checkpointSeq: 101 });
      expect(log.db.prepare('SELECT count(*) FROM checkpoints').pluck().get()).toBe(1);
    });
  });

  it('has nothing to do when no event is old enough', async () => {
    await withLog((log) => expect(log.prune(new Date(BASE_TIME))).toEqual({ pruned: 0 }));
  });
});
