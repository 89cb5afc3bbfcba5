// Deletions never destroy: a remote object moves under the trash prefix, a local file into .coffer-trash.
import { remoteKeyOf } from '../pathKey.js';
import type { WrittenObject } from '../remote/objectStore.js';
import type { RelativePath } from '../syncTypes.js';
import { SkipFileError } from './actionQueue.js';
import { absolutePath, moveToLocalTrash, sameAsScanned, statOrUndefined } from './localFiles.js';
import { trashKeyOf } from './remoteLayout.js';
import type { SyncContext } from './syncContext.js';
import { recordSyncEvent } from './syncEvents.js';

/**
 * Moves an object to another key on the store: a server-side copy under the same key material
 * (an SSE-C object keeps its key, which follows it in the vault), then the old object goes.
 * Resolves with the copy's ETag and version id (the new key's, on a versioned bucket).
 */
export async function moveObject(ctx: SyncContext, fromKey: string, toKey: string): Promise<WrittenObject> {
  const copied = await ctx.cipher.readWith(fromKey, ctx.store, (source) =>
    ctx.store.copy(fromKey, toKey, {
      sourceEncryption: source,
      encryption: source ?? ctx.cipher.forWrite(toKey).encryption,
      // From this cycle's listing: a source over S3's 5 GiB copy limit is copied part by part.
      sourceSize: ctx.remotes.get(fromKey)?.size,
    }),
  );
  await ctx.store.delete(fromKey);
  ctx.cipher.moveKey(fromKey, toKey);
  return copied;
}

/**
 * Moves the object at `key` under `.coffer-trash/<day>/` (never a hard delete) and records the
 * deletion, with `details` added to the event. Resolves with the trash key; leaves the index alone.
 * Rejects with the store's RemoteError (a missing object is the store's 'skip' class).
 */
export async function trashRemoteObject(ctx: SyncContext, key: string, details: Record<string, unknown> = {}): Promise<string> {
  const trashKey = trashKeyOf(key, ctx.now());
  await moveObject(ctx, key, trashKey);
  recordSyncEvent(ctx, 'SyncDeleteRemote', key, { details: { trashKey, ...details } });
  return trashKey;
}

/** The local file was deleted: the remote object moves under `.coffer-trash/<day>/`. */
export async function deleteRemote(ctx: SyncContext, path: RelativePath): Promise<void> {
  await trashRemoteObject(ctx, remoteKeyOf(path));
  ctx.index.removeBase(ctx.folderId, path);
}

/** The remote object was deleted: the local file moves to the local trash, if it is still what was synced. */
export async function deleteLocal(ctx: SyncContext, path: RelativePath): Promise<void> {
  const scanned = ctx.locals.get(path);
  const current = await statOrUndefined(absolutePath(ctx.root, path));
  if (current && scanned && !sameAsScanned(current, scanned)) throw new SkipFileError(`${path} was edited after the scan; it is kept and uploaded next cycle`);
  if (current) await moveToLocalTrash(ctx.root, path, ctx.now());
  ctx.index.removeLocal(ctx.folderId, path);
  ctx.index.removeBase(ctx.folderId, path);
  recordSyncEvent(ctx, 'SyncDeleteLocal', remoteKeyOf(path));
}

/** A local rename: server-side copy to the new key (same key material), then the old object goes. */
export async function renameRemote(ctx: SyncContext, from: RelativePath, to: RelativePath): Promise<void> {
  const base = ctx.bases.get(remoteKeyOf(from));
  const local = ctx.locals.get(to);
  if (!base || !local) throw new SkipFileError(`rename ${from} -> ${to} no longer matches the index`);
  const fromKey = remoteKeyOf(from);
  const toKey = remoteKeyOf(to);
  const moved = await moveObject(ctx, fromKey, toKey);
  ctx.index.removeBase(ctx.folderId, base.path);
  ctx.index.setBase(ctx.folderId, { path: to, size: local.size, sha256: local.sha256, etag: moved.etag, mtimeMs: local.mtimeMs, versionId: moved.versionId });
  recordSyncEvent(ctx, 'SyncRename', toKey, { details: { from: fromKey } });
}
