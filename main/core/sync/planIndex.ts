// Groups the local scan, the remote listing and the base by path key, setting aside names that cannot sync.
import { comparePaths, pathKey, relativePathProblem, remoteKeyOf } from './pathKey.js';
import type { BaseFile, LocalFile, RemoteFile, SyncAction } from './syncTypes.js';

/** What each side holds under one path key. At least one of the three is present. */
export interface PlanEntry {
  readonly key: string;
  readonly local?: LocalFile;
  readonly remote?: RemoteFile;
  readonly base?: BaseFile;
}

export interface PlanIndex {
  /** Keyed by pathKey. */
  readonly entries: Map<string, PlanEntry>;
  /** Skip actions for names that lost a clash or are unsafe; forget-base for unusable base rows. */
  readonly setAside: SyncAction[];
}

interface Side {
  local: LocalFile;
  remote: RemoteFile;
  base: BaseFile;
}

/** Everything one key collected; `more` only exists when a side holds several names for the key. */
type Slot = { [S in keyof Side]?: Side[S] } & { more?: { [S in keyof Side]: Side[S][] } };

/**
 * Groups the three sides by pathKey. Rules, in order:
 * - remote keys ending in '/' are S3 "folder" markers and are ignored (folders are implied by files);
 * - unsafe local paths and remote keys get a skip; remote keys not in NFC get a skip too, because every
 *   action addresses its remote object as remoteKeyOf(path) and that cannot reach a non-NFC key;
 * - unsafe base rows get forget-base;
 * - several names on one side that share a key (a case clash on a case-insensitive disk, or NFC and NFD
 *   twins) keep one winner and skip the rest. The winner is the name the folder already uses (the base's
 *   spelling; for the remote, then the object still holding the base's ETag, then the local winner's
 *   spelling), else the first in byte order, so a clashing upload from another device never replaces
 *   the contents of a file that was syncing fine. The ETag rule also lets an upload that superseded a
 *   key by case, and stopped before moving it to the trash, find the superseded object again.
 * - duplicate base rows for one key keep the first in byte order (the index should never hold them).
 */
export function indexSides(
  local: readonly LocalFile[],
  remote: readonly RemoteFile[],
  base: readonly BaseFile[],
  caseInsensitive: boolean,
): PlanIndex {
  const setAside: SyncAction[] = [];
  const byKey = new Map<string, Slot>();
  const add = <S extends keyof Side>(side: S, item: Side[S]): void => {
    const key = pathKey(item.path, caseInsensitive);
    const slot = byKey.get(key);
    if (slot === undefined) byKey.set(key, { [side]: item });
    else if (slot[side] === undefined) slot[side] = item;
    else {
      slot.more ??= { local: [], remote: [], base: [] };
      slot.more[side].push(item);
    }
  };

  for (const file of local) {
    const problem = relativePathProblem(file.path, 'local');
    if (problem === undefined) add('local', file);
    else setAside.push({ type: 'skip', path: file.path, reason: `unsafe local path (${problem})` });
  }
  for (const object of remote) {
    const problem = relativePathProblem(object.path, 'remote');
    if (problem === 'trailing-slash') continue;
    if (problem !== undefined) setAside.push({ type: 'skip', path: object.path, reason: `unsafe remote key (${problem})` });
    else if (remoteKeyOf(object.path) !== object.path) {
      setAside.push({ type: 'skip', path: object.path, reason: 'remote key is not in Unicode NFC form' });
    } else add('remote', object);
  }
  for (const row of base) {
    if (relativePathProblem(row.path, 'local') === undefined) add('base', row);
    else setAside.push({ type: 'forget-base', path: row.path });
  }

  const entries = new Map<string, PlanEntry>();
  for (const [key, slot] of byKey) {
    if (slot.more === undefined) {
      entries.set(key, { key, local: slot.local, remote: slot.remote, base: slot.base });
      continue;
    }
    const all = <T>(first: T | undefined, rest: T[]): T[] => (first === undefined ? rest : [first, ...rest]);
    const locals = all(slot.local, slot.more.local);
    const remotes = all(slot.remote, slot.more.remote);
    const baseRow = pickWinner(all(slot.base, slot.more.base), []);
    const localFile = pickWinner(locals, [baseRow?.path]);
    const remoteObject = pickWinner(remotes, [baseRow?.path], baseRow?.etag, [localFile?.path]);
    for (const loser of locals) {
      if (loser !== localFile) setAside.push(clashSkip(loser.path, localFile!.path, 'local'));
    }
    for (const loser of remotes) {
      if (loser !== remoteObject) setAside.push(clashSkip(loser.path, remoteObject!.path, 'remote'));
    }
    entries.set(key, { key, local: localFile, remote: remoteObject, base: baseRow });
  }
  return { entries, setAside };
}

/**
 * The first in byte order among: the candidates spelled like the first of `preferred` (compared in
 * NFC) that has any; else those whose ETag is `baseEtag` (the very object the folder synced, whatever
 * its name now); else those spelled like the first of `fallback` that has any; else all of them.
 */
function pickWinner<T extends { readonly path: string; readonly etag?: string }>(
  candidates: T[],
  preferred: (string | undefined)[],
  baseEtag?: string,
  fallback: (string | undefined)[] = [],
): T | undefined {
  if (candidates.length <= 1) return candidates[0];
  const first = (list: T[]): T | undefined => list.sort((a, b) => comparePaths(a.path, b.path))[0];
  const spelledLike = (paths: (string | undefined)[]): T | undefined => {
    for (const path of paths) {
      if (path === undefined) continue;
      const spelled = candidates.filter((c) => remoteKeyOf(c.path) === remoteKeyOf(path));
      if (spelled.length > 0) return first(spelled);
    }
    return undefined;
  };
  const synced = baseEtag === undefined ? [] : candidates.filter((c) => c.etag === baseEtag);
  return spelledLike(preferred) ?? (synced.length > 0 ? first(synced) : undefined) ?? spelledLike(fallback) ?? first([...candidates]);
}

function clashSkip(path: string, winner: string, side: 'local' | 'remote'): SyncAction {
  return {
    type: 'skip',
    path,
    reason: `${side} name clashes with ${JSON.stringify(winner)} (same name ignoring case or Unicode form); rename one of them`,
  };
}
