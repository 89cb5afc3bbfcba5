// verify against each kind of tampering done directly on the SQLite file, with the first bad event it names.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditDatabase } from '../../../main/core/audit/auditDatabase.js';
import { GENESIS_HASH, chainHash, digestMac } from '../../../main/core/audit/hashChain.js';
import { verifyAuditChain, verifyAuditChainYielding, type VerifyResult } from '../../../main/core/audit/verifyChain.js';
import { OTHER_ROOT_KEY, ROOT_KEY, tamper, tempDir, writeLog, type TempDir } from './helpers.js';

let tmp: TempDir;
beforeEach(async () => {
  tmp = tempDir();
  // 35 events, digests over 1-10, 11-20, 21-30 and (on close) 31-35.
  await writeLog(tmp.file, 35, { digestInterval: 10, batchSize: 8 });
});
afterEach(() => tmp.cleanup());

/** Both verifiers, the blocking one and the one that yields between chunks, must reach the same verdict. */
async function verify(rootKey = ROOT_KEY): Promise<VerifyResult> {
  const db = openAuditDatabase(tmp.file);
  const reader = openAuditDatabase(tmp.file, undefined, { readonly: true });
  try {
    const blocking = verifyAuditChain(db, rootKey);
    expect(await verifyAuditChainYielding(reader, rootKey)).toEqual(blocking);
    return blocking;
  } finally {
    db.close();
    reader.close();
  }
}

/** Rewrites the chain from `from` on as someone who knows the algorithm but not the key would. */
function recomputeFrom(db: Database.Database, from: number): void {
  let previous = from === 1 ? GENESIS_HASH : (db.prepare('SELECT hash FROM events WHERE seq = ?').pluck().get(from - 1) as Buffer);
  const rows = db.prepare('SELECT seq, event_json FROM events WHERE seq >= ? ORDER BY seq').all(from) as { seq: number; event_json: string }[];
  const update = db.prepare('UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const row of rows) {
    const hash = chainHash(previous, row.event_json, row.seq);
    update.run(previous, hash, row.seq);
    previous = hash;
  }
}

function editEvent(db: Database.Database, seq: number): void {
  db.prepare("UPDATE events SET event_json = replace(event_json, '\"bytes\":4096', '\"bytes\":1') WHERE seq = ?").run(seq);
}

describe('verify', () => {
  it('accepts an untouched log and reports what it checked', async () => {
    const result = await verify();
    expect(result).toMatchObject({ ok: true, checked: 35, digests: 4, lastSeq: 35, checkpointSeq: 0 });
    expect(result.lastHash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.firstBad).toBeUndefined();
  });

  it('names an edited event (hash mismatch)', async () => {
    tamper(tmp.file, (db) => editEvent(db, 17));
    expect(await verify()).toMatchObject({ ok: false, checked: 16, firstBad: { seq: 17, reason: expect.stringMatching(/hash mismatch \(edited row\)/) } });
  });

  it('names an edited indexed column, which the hash does not cover', async () => {
    tamper(tmp.file, (db) => db.prepare("UPDATE events SET bucket = 'elsewhere' WHERE seq = 12").run());
    expect((await verify()).firstBad).toEqual({ seq: 12, reason: expect.stringMatching(/columns differ/) });
  });

  it('names a deleted event (gap in the sequence)', async () => {
    tamper(tmp.file, (db) => db.prepare('DELETE FROM events WHERE seq = 23').run());
    expect((await verify()).firstBad).toEqual({ seq: 23, reason: 'missing event (deleted row)' });
  });

  it('names the first of two swapped events (broken link)', async () => {
    tamper(tmp.file, (db) => {
      db.prepare('UPDATE events SET seq = -1 WHERE seq = 14').run();
      db.prepare('UPDATE events SET seq = 14 WHERE seq = 15').run();
      db.prepare('UPDATE events SET seq = 15 WHERE seq = -1').run();
    });
    expect((await verify()).firstBad).toEqual({ seq: 14, reason: expect.stringMatching(/broken link to event 13 \(rows reordered/) });
  });

  it('catches a chain recomputed without the digest key, from the first event its digest covers', async () => {
    tamper(tmp.file, (db) => {
      editEvent(db, 17);
      recomputeFrom(db, 17);
    });
    expect((await verify()).firstBad).toEqual({ seq: 11, reason: expect.stringMatching(/signed digest for events 11-20 \(rewritten without the digest key\)/) });
  });

  it('catches digests re-signed with the wrong key (forged signature)', async () => {
    tamper(tmp.file, (db) => {
      editEvent(db, 17);
      recomputeFrom(db, 17);
      const wrongKey = Buffer.alloc(32, 1);
      for (const d of db.prepare('SELECT first_seq, last_seq FROM digests').all() as { first_seq: number; last_seq: number }[]) {
        const hash = db.prepare('SELECT hash FROM events WHERE seq = ?').pluck().get(d.last_seq) as Buffer;
        db.prepare('UPDATE digests SET last_hash = ?, mac = ? WHERE last_seq = ?').run(hash, digestMac(wrongKey, d.first_seq, d.last_seq, hash), d.last_seq);
      }
    });
    expect((await verify()).firstBad).toEqual({ seq: 1, reason: 'forged signature on the digest for events 1-10' });
  });

  it('catches a removed digest', async () => {
    tamper(tmp.file, (db) => db.prepare('DELETE FROM digests WHERE last_seq = 20').run());
    expect((await verify()).firstBad).toEqual({ seq: 11, reason: expect.stringMatching(/digest removed/) });
  });

  it('catches a whole chain rewritten with every digest deleted', async () => {
    tamper(tmp.file, (db) => {
      db.prepare('DELETE FROM digests').run();
      editEvent(db, 3);
      recomputeFrom(db, 1);
    });
    expect((await verify()).firstBad).toEqual({ seq: 1, reason: 'no signed digest at event 10 (digest removed)' });
  });

  it('catches a tail cut off below the last digest', async () => {
    tamper(tmp.file, (db) => db.prepare('DELETE FROM events WHERE seq > 33').run());
    expect((await verify()).firstBad).toEqual({ seq: 34, reason: expect.stringMatching(/missing events 34-35/) });
  });

  it('refuses a wrong root key at the settings signature', async () => {
    expect(await verify(OTHER_ROOT_KEY)).toMatchObject({ ok: false, checked: 0, firstBad: { seq: 1, reason: expect.stringMatching(/wrong root key/) } });
  });
});

describe('verify over a long log', () => {
  it('walks many chunks and finds a deletion right at a chunk boundary', async () => {
    const big = tempDir();
    try {
      await writeLog(big.file, 5000, { batchSize: 4096 });
      const db = openAuditDatabase(big.file);
      expect(verifyAuditChain(db, ROOT_KEY)).toMatchObject({ ok: true, checked: 5000, digests: 5 });
      db.close();
      tamper(big.file, (d) => d.prepare('DELETE FROM events WHERE seq = 1001').run());
      const again = openAuditDatabase(big.file);
      expect(verifyAuditChain(again, ROOT_KEY).firstBad).toEqual({ seq: 1001, reason: 'missing event (deleted row)' });
      again.close();
    } finally {
      big.cleanup();
    }
  });

  it('the yielding verifier lets other work run between chunks and checks the log as it was when it began', async () => {
    const big = tempDir();
    try {
      await writeLog(big.file, 5000, { batchSize: 4096 });
      const reader = openAuditDatabase(big.file, undefined, { readonly: true });
      let turns = 0;
      const ticker = setInterval(() => (turns += 1), 0);
      const verifying = verifyAuditChainYielding(reader, ROOT_KEY);
      // Rows appended while it runs (another connection, as the writer thread does) are not in its snapshot.
      await new Promise((resolve) => setImmediate(resolve));
      tamper(big.file, (d) => d.prepare('DELETE FROM events WHERE seq = 4500').run());
      const result = await verifying;
      clearInterval(ticker);
      reader.close();
      expect(result).toMatchObject({ ok: true, checked: 5000 });
      expect(turns).toBeGreaterThan(0);
    } finally {
      big.cleanup();
    }
  });
});
