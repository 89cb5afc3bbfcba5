// Pairs a new local file with a vanished base entry of the same content, so a move costs a copy, not an upload.
import { baseNameOf, comparePaths } from './pathKey.js';
import type { PlanEntry } from './planIndex.js';

/** A new local path (`target`) that takes over a vanished path's remote object (`source`). */
export interface RenamePair {
  readonly source: PlanEntry;
  readonly target: PlanEntry;
}

/**
 * Matches targets (new local files, no base, absent remotely) with sources (base entries gone locally
 * whose remote object is unchanged) by SHA-256. Each source serves at most one target and each target
 * takes at most one source. Targets are visited in byte order of their path; each takes, among the
 * unused sources with its content, the one with the same file name (a move between folders) if any,
 * else the one with the smallest path. The pairing is therefore deterministic whatever the input order.
 */
export function pairRenames(targets: readonly PlanEntry[], sources: readonly PlanEntry[]): RenamePair[] {
  const sourcesBySha = new Map<string, PlanEntry[]>();
  for (const source of [...sources].sort((a, b) => comparePaths(pathOf(a), pathOf(b)))) {
    const sha = source.base?.sha256;
    if (sha === undefined) continue;
    const list = sourcesBySha.get(sha) ?? [];
    list.push(source);
    sourcesBySha.set(sha, list);
  }

  const pairs: RenamePair[] = [];
  for (const target of [...targets].sort((a, b) => comparePaths(pathOf(a), pathOf(b)))) {
    const sha = target.local?.sha256;
    const candidates = sha === undefined ? undefined : sourcesBySha.get(sha);
    if (candidates === undefined || candidates.length === 0) continue;
    const name = baseNameOf(target.key);
    const sameName = candidates.findIndex((c) => baseNameOf(c.key) === name);
    const [source] = candidates.splice(sameName >= 0 ? sameName : 0, 1);
    if (source !== undefined) pairs.push({ source, target });
  }
  return pairs;
}

function pathOf(entry: PlanEntry): string {
  return entry.local?.path ?? entry.remote?.path ?? entry.base?.path ?? entry.key;
}
