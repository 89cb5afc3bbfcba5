import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CommitQueue } from '../../../../main/core/store/storage/commitQueue.js';

function counting(): { db: Database.Database; commits: () => number } {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (v INTEGER UNIQUE)');
  let commits = 0;
  const realTransaction = db.transaction.bind(db);
  // Count outermost transactions: each one is one commit (one fsync on a file database).
  let depth = 0;
  db.transaction = ((fn: (...a: unknown[]) => unknown) => {
    const wrapped = realTransaction(fn);
    const run = (...args: unknown[]): unknown => {
      depth++;
      try {
        return wrapped(...args);
      } finally {
        depth--;
        if (depth === 0) commits++;
      }
    };
    return Object.assign(run, { immediate: run, deferred: run, exclusive: run, default: run });
  }) as typeof db.transaction;
  return { db, commits: () => commits };
}

describe('CommitQueue', () => {
  it('commits changes submitted together in one transaction', async () => {
    const { db, commits } = counting();
    const queue = new CommitQueue(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => queue.submit(() => insert.run(i).changes)));
    expect(results).toEqual(Array(20).fill(1));
    expect(commits()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(20);
  });

  it('rolls back only the change that failed', async () => {
    const { db } = counting();
    const queue = new CommitQueue(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const outcomes = await Promise.allSettled([
      queue.submit(() => insert.run(1)),
      queue.submit(() => {
        insert.run(2);
        insert.run(1); // violates UNIQUE: this change, including its insert of 2, rolls back
      }),
      queue.submit(() => insert.run(3)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual([1, 3]);
  });

  it('keeps accepting work after a batch and drains before idle() resolves', async () => {
    const { db } = counting();
    const queue = new CommitQueue(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    await queue.submit(() => insert.run(1));
    const later = queue.submit(() => insert.run(2));
    await queue.idle();
    await later;
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2);
  });
});
