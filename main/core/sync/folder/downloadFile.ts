// Download: into a temp file beside the target, checked against the stored hash, then renamed over it.
import { mkdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RelativePath } from '../syncTypes.js';
import { SkipFileError } from './actionQueue.js';
import { absolutePath, sameAsScanned, sha256OfFile, statOrUndefined, syncDirectory, tempPathBeside } from './localFiles.js';
import { META_MTIME, META_SHA256 } from './remoteLayout.js';
import type { SyncContext } from './syncContext.js';
import { recordSyncEvent } from './syncEvents.js';

export class IntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntegrityError';
  }
}

/**
 * Fetches `objectKey` to `localPath`. A local file is replaced only when it is still exactly what
 * this cycle's scan saw (`expectLocal`: the scanned path, or undefined when it expected none), so an
 * edit made during the download is never overwritten: the download is dropped and the next cycle
 * sees both changes as a conflict.
 *
 * `versionId`, when a HEAD just checked the object, pins the GET to that version, so the bytes
 * written are the ones that were checked even if another write lands in between (a version the
 * store no longer has fails with the store's RemoteError 'skip'; the next cycle plans afresh). The
 * base records the version id the GET answered with: without a pin, whatever version was current.
 */
export async function downloadFile(
  ctx: SyncContext,
  objectKey: string,
  localPath: RelativePath,
  expectLocal: RelativePath | undefined,
  versionId?: string,
): Promise<void> {
  const target = absolutePath(ctx.root, localPath);
  await mkdir(dirname(target), { recursive: true });
  const temp = tempPathBeside(target);
  try {
    // A refused key fails before any byte is written: the retry with the tagged key starts the temp file afresh.
    const head = await ctx.cipher.readWith(objectKey, ctx.store, (encryption) =>
      ctx.store.getFile(objectKey, temp, { encryption, versionId, onProgress: ctx.progress.transfer(), signal: ctx.signal }),
    );
    const sha256 = await sha256OfFile(temp);
    const stored = head.metadata[META_SHA256];
    if (stored !== undefined && stored !== sha256) {
      recordSyncEvent(ctx, 'SyncDownload', objectKey, { outcome: 'failure', errorCode: 'IntegrityCheckFailed', errorMessage: 'content does not match its stored SHA-256' });
      throw new SkipFileError(`${objectKey}: downloaded content does not match its stored SHA-256; the local file is left alone`, { cause: new IntegrityError('sha256 mismatch') });
    }
    const mtime = Number(head.metadata[META_MTIME]);
    if (Number.isFinite(mtime) && mtime > 0) await utimes(temp, new Date(mtime), new Date(mtime));
    // What the index records is the temp file as written: a rename keeps inode, size and mtime. A stat
    // of the target after the rename could see an edit (or a deletion) made in the meantime, and would
    // record that edit as already synced, so it would never be uploaded.
    const written = await stat(temp);
    const current = await statOrUndefined(target);
    const scanned = expectLocal === undefined ? undefined : ctx.locals.get(expectLocal);
    if (current && !(scanned && sameAsScanned(current, scanned))) throw new SkipFileError(`${localPath} was edited during the download; both versions are kept next cycle`);
    if (!current && scanned) throw new SkipFileError(`${localPath} was deleted during the download`);
    await rename(temp, target);
    await syncDirectory(dirname(target));
    const file = { path: localPath, size: written.size, mtimeMs: written.mtimeMs, inode: written.ino, sha256 };
    ctx.index.upsertLocal(ctx.folderId, file);
    ctx.index.setBase(ctx.folderId, { path: localPath, size: written.size, sha256, etag: head.etag, mtimeMs: written.mtimeMs, versionId: head.versionId });
    recordSyncEvent(ctx, 'SyncDownload', objectKey, { bytes: written.size });
  } finally {
    await rm(temp, { force: true });
  }
}
