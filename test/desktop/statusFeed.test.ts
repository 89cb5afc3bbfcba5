// The status feed reports each change once, with the snapshot before it, and survives a failed read.
import { describe, expect, it } from 'vitest';
import type { AgentStatus } from '../../preload/contract.js';
import { StatusFeed } from '../../main/desktop/statusFeed.js';
import { folder, status } from './statusFixtures.js';

function feedOver(reads: (AgentStatus | Error)[]) {
  const changes: [AgentStatus | undefined, AgentStatus][] = [];
  const errors: unknown[] = [];
  let calls = 0;
  const feed = new StatusFeed({
    read: async () => {
      const next = reads[Math.min(calls, reads.length - 1)]!;
      calls += 1;
      if (next instanceof Error) throw next;
      return structuredClone(next);
    },
    onChange: (before, after) => void changes.push([before, after]),
    onError: (err) => void errors.push(err),
  });
  return { feed, changes, errors, reads: () => calls };
}

describe('the status feed', () => {
  it('reports the first read and then only reads that differ', async () => {
    const a = status([folder('f-1-000001', '/a')]);
    const b = status([folder('f-1-000001', '/a', { unresolvedConflicts: 1 })]);
    const { feed, changes } = feedOver([a, a, b, b]);
    for (let i = 0; i < 4; i += 1) await feed.poll();
    expect(changes).toEqual([
      [undefined, a],
      [a, b],
    ]);
    expect(feed.current).toEqual(b);
  });

  it('joins a poll already under way instead of reading twice', async () => {
    const { feed, reads } = feedOver([status([])]);
    await Promise.all([feed.poll(), feed.poll(), feed.poll()]);
    expect(reads()).toBe(1);
  });

  it('reports a failed read or a failing listener and carries on', async () => {
    const a = status([]);
    const { feed, changes, errors } = feedOver([new Error('agent busy'), a]);
    await feed.poll();
    expect(errors).toEqual([new Error('agent busy')]);
    await feed.poll();
    expect(changes).toEqual([[undefined, a]]);

    const throwing = new StatusFeed({ read: async () => status([]), onChange: () => { throw new Error('listener broke'); }, onError: (err) => void errors.push(err) });
    await expect(throwing.poll()).resolves.toBeUndefined();
    expect(errors.at(-1)).toEqual(new Error('listener broke'));
  });
});
