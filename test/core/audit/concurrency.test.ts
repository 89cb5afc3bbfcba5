// Several writers on one audit.db, in one process and in three, keep one linear chain.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/storeProcess.js';
import { openLog, sampleEvent, tempDir, type TempDir } from './helpers.js';

const run = promisify(execFile);
let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

function seqs(file: string): { seq: number; principal: string; request_id: string }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT seq, principal, request_id FROM events ORDER BY seq').all() as { seq: number; principal: string; request_id: string }[];
  } finally {
    db.close();
  }
}

describe('several writers on one file', () => {
  it('two instances interleaving batches keep one linear chain', async () => {
    const a = openLog(tmp.file, { digestInterval: 10 });
    const b = openLog(tmp.file, { digestInterval: 10 });
    for (let round = 0; round < 20; round += 1) {
      for (let i = 0; i < 3; i += 1) a.record(sampleEvent(round * 10 + i, { principal: 'A' }));
      for (let i = 3; i < 8; i += 1) b.record(sampleEvent(round * 10 + i, { principal: 'B' }));
      await (round % 2 === 0 ? b.flush() : a.flush());
    }
    await a.close();
    await b.close();
    const check = openLog(tmp.file);
    expect(check.verify()).toMatchObject({ ok: true, checked: 160 });
    await check.close();
    const rows = seqs(tmp.file);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 160 }, (_, i) => i + 1));
    expect(rows.filter((r) => r.principal === 'A')).toHaveLength(60);
  });

  it('three processes appending at once keep one linear, verifiable chain', async () => {
    const script = join(REPO_ROOT, 'test', 'support', 'auditAppender.ts');
    const count = 400;
    const startAt = String(Date.now() + 4000);
    await Promise.all(['p1', 'p2', 'p3'].map((tag) => run(process.execPath, ['--import', 'tsx', script, tmp.file, tag, String(count), startAt], { cwd: REPO_ROOT })));
    const rows = seqs(tmp.file);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 3 * count }, (_, i) => i + 1));
    for (const tag of ['p1', 'p2', 'p3']) {
      // Each process's own events are in its own order within the shared chain.
      expect(rows.filter((r) => r.principal === tag).map((r) => r.request_id)).toEqual(Array.from({ length: count }, (_, i) => `${tag}-${i + 1}`));
    }
    // Batches really interleaved: the chain switches writer many times.
    const switches = rows.filter((r, i) => i > 0 && rows[i - 1]!.principal !== r.principal).length;
    expect(switches).toBeGreaterThan(10);
    const log = openLog(tmp.file);
    expect(log.verify()).toMatchObject({ ok: true, checked: 3 * count });
    await log.close();
  });
});
