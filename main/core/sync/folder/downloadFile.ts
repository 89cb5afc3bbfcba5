// Download: into a temp file beside the target, checked against the stored hash, then renamed over it.
import { mkdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ObjectHead } from '../remote/objectStore.js';
import type { RelativePath } from '../syncTypes.js';
import { SkipFileError } from './actionQueue.js';
import { absolutePath, digestsOfFile, sameAsScanned, statOrUndefined, syncDirectory, tempPathBeside } from './localFiles.js';
import { placeNewFile } from './placeNewFile.js';
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
    const sha256 = await checkedDigest(ctx, objectKey, temp, head);
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
    if (!scanned) {
      // A new file: placed only if the name is still free, checked and taken in one step.
      if (!(await placeNewFile(temp, target))) throw new SkipFileError(`${localPath} was created during the download; both versions are kept next cycle`);
    } else {
      // POSIX has no compare-and-swap rename: a save landing after the check above is replaced; the window is one thread-pool hop.
      await rename(temp, target);
    }
    await syncDirectory(dirname(target));
    const file = { path: localPath, size: written.size, mtimeMs: written.mtimeMs, inode: written.ino, sha256 };
    ctx.index.upsertLocal(ctx.folderId, file);
    ctx.index.setBase(ctx.folderId, { path: localPath, size: written.size, sha256, etag: head.etag, mtimeMs: written.mtimeMs, versionId: head.versionId });
    recordSyncEvent(ctx, 'SyncDownload', objectKey, { bytes: written.size });
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * The downloaded file's SHA-256, once its bytes are checked against the strongest digest the object
 * offers: the SHA-256 Coffer stored in its metadata or, for an object another tool wrote, the MD5
 * its ETag states (plaintext or SSE-S3, single part). An object with neither (another tool's
 * SSE-KMS, SSE-C or multipart object) cannot be checked here; the store's own checks still apply.
 * A mismatch is recorded and skips the file, leaving the local copy alone.
 */
async function checkedDigest(ctx: SyncContext, objectKey: string, temp: string, head: ObjectHead): Promise<string> {
  const stored = head.metadata[META_SHA256];
  const digests = await digestsOfFile(temp, stored === undefined && head.contentMd5 !== undefined);
  const mismatch =
    stored !== undefined ? (stored !== digests.sha256 ? 'SHA-256' : undefined) : digests.md5 !== undefined && digests.md5 !== head.contentMd5 ? 'MD5 ETag' : undefined;
  if (mismatch !== undefined) {
    recordSyncEvent(ctx, 'SyncDownload', objectKey, { outcome: 'failure', errorCode: 'IntegrityCheckFailed', errorMessage: `content does not match its stored ${mismatch}` });
    throw new SkipFileError(`${objectKey}: downloaded content does not match its stored ${mismatch}; the local file is left alone`, {
      cause: new IntegrityError(`${mismatch} mismatch`),
    });
  }
  return digests.sha256;
}
