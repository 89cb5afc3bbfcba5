// The sync planner: a pure three-way comparison of local now, remote now and the last synced base.
//
// Rules (PLANNING.md has them as a table). Paths are matched by pathKey. "Changed" means the local
// SHA-256 differs from the base's, or the remote ETag differs from the base's; no base means new.
//   base | local     | remote    | action
//   -    | new       | -         | upload(new)
//   -    | -         | new       | download(new)
//   -    | new       | new       | conflict(both-new): listings carry no hash, equal sizes prove nothing
//   yes  | same      | same      | nothing (or a case-only rename, see below)
//   yes  | changed   | same      | upload(changed)
//   yes  | same      | changed   | download(changed)
//   yes  | changed   | changed   | conflict(both-changed)
//   yes  | deleted   | same      | delete-remote, or rename-remote when a new local file has its content
//   yes  | same      | deleted   | delete-local
//   yes  | deleted   | deleted   | forget-base
//   yes  | changed   | deleted   | upload(remote-deleted): an edit beats a delete
//   yes  | deleted   | changed   | download(local-deleted)
// Then: a file that would survive while the same path is also a surviving folder of files becomes
// conflict(type-change); its folder's files keep their actions. Names that clash or are unsafe get skip.
//
// Spelling: the path of upload, delete-local, record-base and conflict is the local file's exact name;
// of download and delete-remote the remote key as listed; of forget-base the base row's. rename-remote's
// `from` is the base row's name (remoteKeyOf(from) is the old remote key) and `to` the new local name.
// On a case-insensitive disk the three sides may spell one file differently by case; planSpellings.ts
// then names the other spellings on the action (replacesKey, replacesLocal, replacesBase, remoteKey).
import { ancestorsOf, remoteKeyOf, sortByPath } from './pathKey.js';
import { indexSides, type PlanEntry } from './planIndex.js';
import { pairRenames } from './planRenames.js';
import { withSpellings } from './planSpellings.js';
import type { BaseFile, LocalFile, RemoteFile, SyncAction } from './syncTypes.js';

export interface PlanInput {
  readonly local: readonly LocalFile[];
  readonly remote: readonly RemoteFile[];
  readonly base: readonly BaseFile[];
  /** Whether the folder's file system ignores case (macOS and Windows defaults). */
  readonly caseInsensitive: boolean;
}

/**
 * The actions that bring local, remote and base into agreement, sorted by path in byte order
 * (rename-remote by its `to`), each path in at most one action. Never throws; input order does not matter.
 */
export function planSync(input: PlanInput): SyncAction[] {
  const { entries, setAside } = indexSides(input.local, input.remote, input.base, input.caseInsensitive);
  const decided = new Map<string, SyncAction | undefined>();
  for (const [key, entry] of entries) decided.set(key, withSpellings(decide(entry), entry));

  markTypeChanges(entries, decided);

  const targets: PlanEntry[] = [];
  const sources: PlanEntry[] = [];
  for (const [key, entry] of entries) {
    const action = decided.get(key);
    if (action?.type === 'upload' && action.reason === 'new') targets.push(entry);
    if (action?.type === 'delete-remote' && isSpelledLikeBase(entry)) sources.push(entry);
  }
  for (const { source, target } of pairRenames(targets, sources)) {
    decided.set(source.key, undefined);
    decided.set(target.key, { type: 'rename-remote', from: source.base!.path, to: target.local!.path });
  }

  const actions = [...decided.values()].filter((a): a is SyncAction => a !== undefined);
  const used = new Set(actions.flatMap(pathsOf));
  // A set-aside name that another action already acts on is covered by that action.
  for (const extra of setAside) {
    if (pathsOf(extra).some((p) => used.has(p))) continue;
    actions.push(extra);
    pathsOf(extra).forEach((p) => used.add(p));
  }
  return sortByPath(actions, primaryPath);
}

/** The three-way rule for one key, before renames and type changes. */
function decide(entry: PlanEntry): SyncAction | undefined {
  const { local, remote, base } = entry;
  if (base === undefined) {
    if (local !== undefined && remote !== undefined) return { type: 'conflict', path: local.path, kind: 'both-new' };
    if (local !== undefined) return { type: 'upload', path: local.path, reason: 'new' };
    if (remote !== undefined) return { type: 'download', path: remote.path, reason: 'new' };
    return undefined;
  }
  if (local === undefined && remote === undefined) return { type: 'forget-base', path: base.path };
  const localChanged = local !== undefined && local.sha256 !== base.sha256;
  const remoteChanged = remote !== undefined && remote.etag !== base.etag;
  if (local === undefined) {
    return remoteChanged
      ? { type: 'download', path: remote!.path, reason: 'local-deleted' }
      : { type: 'delete-remote', path: remote!.path };
  }
  if (remote === undefined) {
    return localChanged ? { type: 'upload', path: local.path, reason: 'remote-deleted' } : { type: 'delete-local', path: local.path };
  }
  if (localChanged && remoteChanged) return { type: 'conflict', path: local.path, kind: 'both-changed' };
  if (localChanged) return { type: 'upload', path: local.path, reason: 'changed' };
  if (remoteChanged) return { type: 'download', path: remote.path, reason: 'changed' };
  return respell(local, remote, base);
}

/**
 * Both sides unchanged, so only the spelling can differ, and only in case (NFC/NFD twins are equal here):
 * a local case-only rename moves the remote object; a rename both sides made only updates the base;
 * a case rename made elsewhere needs nothing, as this disk cannot tell the two spellings apart.
 */
function respell(local: LocalFile, remote: RemoteFile, base: BaseFile): SyncAction | undefined {
  const localKey = remoteKeyOf(local.path);
  const baseKey = remoteKeyOf(base.path);
  if (localKey === remote.path) return localKey === baseKey ? undefined : { type: 'record-base', path: local.path };
  if (baseKey === remote.path) return { type: 'rename-remote', from: base.path, to: local.path };
  return undefined;
}

/** Whether the remote object sits at the base row's own key, so a rename can address it by the base's name. */
function isSpelledLikeBase(entry: PlanEntry): boolean {
  return entry.base !== undefined && entry.remote !== undefined && remoteKeyOf(entry.base.path) === entry.remote.path;
}

/**
 * Replaces the action of every key whose file survives the plan while the same key is also the folder
 * of a surviving file, with conflict(type-change), which also keeps it out of rename pairing. A type
 * change the three-way rules already explain (the file was deleted on the side where the folder
 * appeared) leaves no surviving file, so no conflict. Renames cannot change what survives.
 */
function markTypeChanges(entries: Map<string, PlanEntry>, decided: Map<string, SyncAction | undefined>): void {
  const surviving: string[] = [];
  for (const [key, entry] of entries) {
    const action = decided.get(key);
    const gone = action?.type === 'delete-local' || action?.type === 'delete-remote' || action?.type === 'forget-base';
    if (!gone && (entry.local !== undefined || entry.remote !== undefined)) surviving.push(key);
  }
  const folders = new Set(surviving.flatMap((key) => ancestorsOf(key)));
  for (const key of surviving) {
    if (!folders.has(key)) continue;
    const { local, remote } = entries.get(key)!;
    decided.set(key, { type: 'conflict', path: (local ?? remote)!.path, kind: 'type-change' });
  }
}

function pathsOf(action: SyncAction): string[] {
  return action.type === 'rename-remote' ? [action.from, action.to] : [action.path];
}

function primaryPath(action: SyncAction): string {
  return action.type === 'rename-remote' ? action.to : action.path;
}
