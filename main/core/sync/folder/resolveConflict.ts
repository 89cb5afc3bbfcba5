// Conflicts keep both versions: the local one is renamed "name (conflict DATE on DEVICE).ext", the remote takes the path.
import { rename } from 'node:fs/promises';
import { conflictName } from '../conflictName.js';
import { remoteKeyOf } from '../pathKey.js';
import type { ConflictKind, RelativePath } from '../syncTypes.js';
import { SkipFileError } from './actionQueue.js';
import { moveObject } from './deleteFiles.js';
import { downloadFile } from './downloadFile.js';
import { absolutePath, sameAsScanned, statOrUndefined } from './localFiles.js';
import { META_SHA256, trashKeyOf } from './remoteLayout.js';
import type { SyncContext } from './syncContext.js';
import { recordSyncEvent } from './syncEvents.js';

async function freeConflictPath(ctx: SyncContext, path: RelativePath): Promise<RelativePath> {
  const taken = new Set<string>();
  for (let attempt = 0; attempt < 100; attempt++) {
    const candidate = conflictName(path, ctx.now(), ctx.device, (p: string) => taken.has(p));
    if (!(await statOrUndefined(absolutePath(ctx.root, candidate))) && !ctx.locals.has(candidate)) return candidate;
    taken.add(candidate);
  }
  throw new SkipFileError(`no free conflict name for ${path}`);
}

function noteConflict(ctx: SyncContext, path: RelativePath, conflictPath: RelativePath, kind: ConflictKind): void {
  ctx.index.addConflict(ctx.folderId, { path, conflictPath, kind, time: ctx.now().getTime() });
  recordSyncEvent(ctx, 'SyncConflict', remoteKeyOf(path), { details: { kind, conflictPath } });
}

/**
 * Settles a conflict on the local file `path` while keeping both versions. `remoteKey` is where the
 * remote side is when its key differs from `path` by case (case-insensitive folders only); the
 * remote object is never moved or replaced here, and the file settles under its spelling:
 * - the same bytes on both sides: only the base is recorded, under the remote's spelling (a local
 *   case rename then shows as one on the next cycle, which moves the remote object by a copy);
 * - different bytes: the local file steps aside under a conflict name derived from `path` (the next
 *   cycle uploads it as a new file) and the remote version is downloaded to the remote's spelling.
 * Throws SkipFileError for a case clash, a conflict that no longer holds, or a file that changed
 * since the scan; the store's RemoteError otherwise.
 */
export async function resolveConflict(ctx: SyncContext, path: RelativePath, kind: ConflictKind, remoteKey?: string): Promise<void> {
  if (kind === 'case-clash') throw new SkipFileError(`${path} differs from another name only by case, which this disk cannot hold`);
  const key = remoteKey ?? remoteKeyOf(path);
  const local = ctx.locals.get(path);
  const remote = ctx.remotes.get(key);
  if (kind === 'type-change') return resolveTypeChange(ctx, path, Boolean(local), Boolean(remote));
  if (!local || !remote) throw new SkipFileError(`conflict on ${path} no longer holds`);
  const settled = remoteKey ?? path;
  // Same bytes on both sides (the listing has no hash, the object's metadata does): no conflict at all.
  const head = await ctx.store.head(key, await ctx.cipher.forRead(key, ctx.store));
  if (head && head.metadata[META_SHA256] === local.sha256) {
    ctx.index.setBase(ctx.folderId, { path: settled, size: local.size, sha256: local.sha256, etag: head.etag, mtimeMs: local.mtimeMs, versionId: head.versionId });
    return;
  }
  const current = await statOrUndefined(absolutePath(ctx.root, path));
  if (!current || !sameAsScanned(current, local)) throw new SkipFileError(`${path} changed during conflict handling; retried next cycle`);
  const conflictPath = await freeConflictPath(ctx, path);
  await rename(absolutePath(ctx.root, path), absolutePath(ctx.root, conflictPath));
  // Under another spelling the download writes a new row: the stepped-aside name's row goes now.
  if (settled !== path) ctx.index.removeLocal(ctx.folderId, path);
  noteConflict(ctx, settled, conflictPath, kind);
  // The renamed local copy is a new file: the next scan uploads it under its conflict name. The
  // version the HEAD compared is the one fetched (on a versioned bucket), so a write landing in
  // between is not recorded as synced: the next cycle sees it as a remote change.
  await downloadFile(ctx, key, settled, undefined, head?.versionId);
}

/** A file on one side is a folder on the other: the file side steps aside under a conflict name. */
async function resolveTypeChange(ctx: SyncContext, path: RelativePath, localIsFile: boolean, remoteIsFile: boolean): Promise<void> {
  const conflictPath = await freeConflictPath(ctx, path);
  if (localIsFile) {
    const local = ctx.locals.get(path)!;
    const current = await statOrUndefined(absolutePath(ctx.root, path));
    if (!current || !sameAsScanned(current, local)) throw new SkipFileError(`${path} changed during conflict handling; retried next cycle`);
    await rename(absolutePath(ctx.root, path), absolutePath(ctx.root, conflictPath));
    ctx.index.removeLocal(ctx.folderId, path);
    ctx.index.removeBase(ctx.folderId, path);
  } else if (remoteIsFile) {
    // The remote file lands beside the local folder under the conflict name, and leaves the path
    // (to the trash) so the folder's files can take it on the store.
    const key = remoteKeyOf(path);
    await downloadFile(ctx, key, conflictPath, undefined);
    // Under its new name the copy is a new local file: no base, so the next cycle uploads it.
    ctx.index.removeBase(ctx.folderId, conflictPath);
    await moveObject(ctx, key, trashKeyOf(key, ctx.now()));
    ctx.index.removeBase(ctx.folderId, path);
  } else {
    throw new SkipFileError(`type conflict on ${path} no longer holds`);
  }
  noteConflict(ctx, path, conflictPath, 'type-change');
}
