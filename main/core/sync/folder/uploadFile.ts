// Upload: a local file that changed goes to the store with its hash in metadata, then becomes the base.
import { stat } from 'node:fs/promises';
import { remoteKeyOf } from '../pathKey.js';
import type { WrittenObject } from '../remote/objectStore.js';
import type { RelativePath } from '../syncTypes.js';
import { SkipFileError } from './actionQueue.js';
import { trashRemoteObject } from './deleteFiles.js';
import { absolutePath, sameAsScanned } from './localFiles.js';
import { WHOLE_READ_MAX_BYTES } from './readScannedFile.js';
import { META_MTIME, META_SHA256 } from './remoteLayout.js';
import type { SyncContext } from './syncContext.js';
import { recordSyncEvent } from './syncEvents.js';

/**
 * Uploads the scanned file at `path` under its own key, then records it as the base.
 *
 * `replacesKey` (case-insensitive folders only) is the same file's remote object under another case,
 * unchanged since the base: it moves to the remote trash after the new key holds the file and
 * before the base is recorded. A failure in between leaves the old base, so the next cycle sees the
 * old key unchanged and plans this upload again (or, once the old key is gone, sees the new key as
 * changed on both sides and records it after comparing the stored SHA-256). PLANNING.md has the states.
 *
 * Throws SkipFileError when the file left the scan or changed since it was hashed, and the store's
 * RemoteError otherwise.
 */
export async function uploadFile(ctx: SyncContext, path: RelativePath, replacesKey?: string): Promise<void> {
  const local = ctx.locals.get(path);
  if (!local) throw new SkipFileError(`${path} is no longer in the scan`);
  const file = absolutePath(ctx.root, path);
  const changed = (): SkipFileError => new SkipFileError(`${path} changed since it was scanned; it syncs in the next cycle`);
  const key = remoteKeyOf(path);
  const write = ctx.cipher.forWrite(key);
  const put = {
    encryption: write.encryption,
    metadata: { ...write.metadata, [META_SHA256]: local.sha256, [META_MTIME]: String(Math.trunc(local.mtimeMs)) },
    tags: write.tags,
    // The store checks the body against the scanned hash: a file rewritten while it was read is
    // refused (BadDigest) instead of being stored under a hash it does not have.
    sha256: local.sha256,
    onProgress: ctx.progress.transfer(),
    signal: ctx.signal,
  };
  let written: WrittenObject;
  // Only a file that stopped changing is uploaded: it must still be what the scan hashed.
  if (local.size <= WHOLE_READ_MAX_BYTES) {
    const bytes = await ctx.smallFiles.read(file, local);
    if (!bytes) throw changed();
    written = await ctx.store.putBytes(key, bytes, put);
  } else {
    if (!sameAsScanned(await stat(file), local)) throw changed();
    written = await ctx.store.putFile(key, file, { ...put, fingerprint: `${local.sha256}:${local.size}` });
  }
  recordSyncEvent(ctx, 'SyncUpload', key, { bytes: local.size });
  if (replacesKey !== undefined) await trashRemoteObject(ctx, replacesKey, { replacedBy: key });
  ctx.index.setBase(ctx.folderId, { path, size: local.size, sha256: local.sha256, etag: written.etag, mtimeMs: local.mtimeMs, versionId: written.versionId });
}
