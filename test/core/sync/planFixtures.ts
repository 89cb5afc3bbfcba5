// Builders for planner inputs, and planSync wrapped with the invariants every plan must keep.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { comparePaths } from '../../../main/core/sync/pathKey.js';
import { planSync, type PlanInput } from '../../../main/core/sync/plan.js';
import type { BaseFile, LocalFile, RemoteFile, SyncAction } from '../../../main/core/sync/syncTypes.js';

export function sha256Of(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** A scanned local file holding `content`. */
export function local(path: string, content: string): LocalFile {
  return { path, size: Buffer.byteLength(content), mtimeMs: 1_700_000_000_000, inode: 1, sha256: sha256Of(content) };
}

/** A listed remote object; `etag` stands for its version (quotes added as S3 sends them). */
export function remote(path: string, etag: string, size = 1): RemoteFile {
  return { path, size, etag: `"${etag}"`, lastModifiedMs: 1_700_000_000_000 };
}

/** What both sides agreed on: `content` locally, `etag` remotely. */
export function base(path: string, content: string, etag: string): BaseFile {
  return { path, size: Buffer.byteLength(content), sha256: sha256Of(content), etag: `"${etag}"`, mtimeMs: 1_700_000_000_000 };
}

export interface Sides {
  readonly local?: readonly LocalFile[];
  readonly remote?: readonly RemoteFile[];
  readonly base?: readonly BaseFile[];
  readonly caseInsensitive?: boolean;
}

export function inputOf(sides: Sides): PlanInput {
  return { local: sides.local ?? [], remote: sides.remote ?? [], base: sides.base ?? [], caseInsensitive: sides.caseInsensitive ?? false };
}

export function pathsOf(action: SyncAction): string[] {
  return action.type === 'rename-remote' ? [action.from, action.to] : [action.path];
}

/**
 * planSync, checked for: sorted output, each path in at most one action, and the same result for
 * the input lists reversed (the planner must not depend on listing order).
 */
export function plan(sides: Sides): SyncAction[] {
  const input = inputOf(sides);
  const actions = planSync(input);
  const primary = actions.map((a) => (a.type === 'rename-remote' ? a.to : a.path));
  expect(primary).toEqual([...primary].sort(comparePaths));
  const all = actions.flatMap(pathsOf);
  expect(new Set(all).size, `a path appears twice in ${JSON.stringify(actions)}`).toBe(all.length);
  const reversed = planSync({ ...input, local: [...input.local].reverse(), remote: [...input.remote].reverse(), base: [...input.base].reverse() });
  expect(reversed).toEqual(actions);
  return actions;
}

/** Seeded PRNG (mulberry32), so generated cases are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
