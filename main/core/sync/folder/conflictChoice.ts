// The user's answer to a recorded conflict: keep mine, keep theirs or keep both, done on disk for the next cycle to sync.
import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditSink } from '../../audit/auditEvent.js';
import type { ConflictRecord } from '../index/conflictLog.js';
import type { LocalEntry } from '../index/localIndex.js';
import { remoteKeyOf } from '../pathKey.js';
import type { RelativePath } from '../syncTypes.js';
import { sseModeName } from './folderCipher.js';
import type { FolderSettings } from './folderSettings.js';
import { absolutePath, moveToLocalTrash, sameAsScanned, statOrUndefined, syncDirectory } from './localFiles.js';

/**
 * After a conflict the path holds THEIR version (downloaded) and `conflictPath` holds MINE (the
 * local copy, renamed; the next cycle uploads it under that name).
 * - both: both files stay as they are.
 * - theirs: the conflict copy goes to the local trash; the next cycle removes it remotely (to the trash).
 * - mine: the conflict copy is renamed over the path; the next cycle uploads it as the path's new
 *   version and removes the conflict-named copy remotely.
 */
export type ConflictChoice = 'mine' | 'theirs' | 'both';

export type ConflictChoiceCode = 'ChoiceNotAvailable' | 'ConflictCopyMissing' | 'ConflictCopyChanged' | 'PathChanged' | 'NoSuchConflict';

/** A choice that cannot be carried out as asked; `code` says which rule refused it. Nothing was changed. */
export class ConflictChoiceError extends Error {
  override readonly name = 'ConflictChoiceError';
  constructor(
    readonly code: ConflictChoiceCode,
    message: string,
  ) {
    super(message);
  }
}

/** The index operations a choice needs (the SQLite LocalIndex provides them). */
export interface ConflictChoiceIndex {
  localEntry(folderId: string, path: RelativePath): LocalEntry | undefined;
  resolveConflict(folderId: string, id: number, at?: number): boolean;
}

export interface ConflictChoiceContext {
  readonly settings: Pick<FolderSettings, 'id' | 'localPath' | 'bucket' | 'prefix' | 'mode'>;
  readonly index: ConflictChoiceIndex;
  readonly audit: AuditSink;
  /** Names this device in the access history. */
  readonly device: string;
  readonly now?: () => Date;
}

/**
 * Carries out `keep` for the open conflict `conflict` of the folder, marks it resolved and records
 * a `ResolveConflict` sync event. The caller then runs a cycle so the other devices follow.
 * Refusals (ConflictChoiceError, nothing changed):
 * - ChoiceNotAvailable: 'mine' or 'theirs' for a type change (one side is a folder) or a conflict
 *   that moved nothing aside; only 'both' applies there.
 * - ConflictCopyMissing ('mine'): the conflict copy is gone.
 * - ConflictCopyChanged ('mine'): the copy is not what the last sync recorded (edited since, or not
 *   scanned yet), so the user may not have seen what would replace the path.
 * - PathChanged ('mine'): the path holds an edit the last sync has not recorded, which would be lost.
 * - NoSuchConflict: the conflict is resolved already.
 * File system errors (permissions, a full disk) are thrown as they come.
 */
export async function applyConflictChoice(ctx: ConflictChoiceContext, conflict: ConflictRecord, keep: ConflictChoice): Promise<void> {
  const { settings } = ctx;
  const now = ctx.now ?? (() => new Date());
  if (conflict.resolvedAt !== null) throw new ConflictChoiceError('NoSuchConflict', `conflict ${conflict.id} is resolved already`);
  if (keep !== 'both') {
    const copy = conflict.conflictPath;
    if (conflict.kind === 'type-change' || copy === null) {
      const why = conflict.kind === 'type-change' ? 'one side of it is a folder' : 'nothing was set aside for it';
      throw new ConflictChoiceError('ChoiceNotAvailable', `conflict ${conflict.id} on ${conflict.path} can only be resolved by keeping both: ${why}`);
    }
    if (keep === 'theirs') await dropConflictCopy(settings.localPath, copy, now());
    else await putConflictCopyBack(ctx, conflict.path, copy);
  }
  if (!ctx.index.resolveConflict(settings.id, conflict.id, now().getTime())) {
    throw new ConflictChoiceError('NoSuchConflict', `conflict ${conflict.id} is resolved already`);
  }
  ctx.audit.record({
    time: now(),
    category: 'sync',
    operation: 'ResolveConflict',
    outcome: 'success',
    principal: ctx.device,
    bucket: settings.bucket,
    objectKey: settings.prefix + remoteKeyOf(conflict.path),
    sseMode: sseModeName(settings.mode),
    details: { folderId: settings.id, conflictId: conflict.id, kind: conflict.kind, keep, ...(conflict.conflictPath !== null ? { conflictPath: conflict.conflictPath } : {}) },
  });
}

/** 'theirs': the copy leaves for the local trash (recoverable, as any deletion); already gone is fine. */
async function dropConflictCopy(root: string, copy: RelativePath, at: Date): Promise<void> {
  const stats = await statOrUndefined(absolutePath(root, copy));
  if (!stats) return;
  if (!stats.isFile()) throw new ConflictChoiceError('ConflictCopyChanged', `${copy} is no longer a file; nothing was changed`);
  await moveToLocalTrash(root, copy, at);
}

/** 'mine': one rename, so the path never goes missing (a cycle in between would read that as a deletion). */
async function putConflictCopyBack(ctx: ConflictChoiceContext, path: RelativePath, copy: RelativePath): Promise<void> {
  const { id: folderId, localPath: root } = ctx.settings;
  const copyStats = await statOrUndefined(absolutePath(root, copy));
  if (!copyStats) throw new ConflictChoiceError('ConflictCopyMissing', `the conflict copy ${copy} is gone; nothing was changed`);
  const copyScanned = ctx.index.localEntry(folderId, copy);
  if (!copyScanned || !sameAsScanned(copyStats, copyScanned)) {
    throw new ConflictChoiceError('ConflictCopyChanged', `the conflict copy ${copy} changed since the last sync; let the folder sync, then choose again (nothing was changed)`);
  }
  const target = absolutePath(root, path);
  const pathStats = await statOrUndefined(target);
  if (pathStats) {
    const pathScanned = ctx.index.localEntry(folderId, path);
    if (!pathScanned || !sameAsScanned(pathStats, pathScanned)) {
      throw new ConflictChoiceError('PathChanged', `${path} changed since the last sync and would be lost; let the folder sync, then choose again (nothing was changed)`);
    }
  }
  await mkdir(dirname(target), { recursive: true });
  await rename(absolutePath(root, copy), target);
  await syncDirectory(dirname(target));
}
