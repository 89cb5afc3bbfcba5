// Runs a plan in phases: conflicts and renames (they move paths), then deletions (they free paths), then transfers.
import { remoteKeyOf } from '../pathKey.js';
import type { SyncAction } from '../syncTypes.js';
import { runQueue, type QueueResult } from './actionQueue.js';
import { deleteLocal, deleteRemote, renameRemote } from './deleteFiles.js';
import { downloadFile } from './downloadFile.js';
import { resolveConflict } from './resolveConflict.js';
import { downloadRespelled, retiringBase } from './respelling.js';
import type { SyncContext } from './syncContext.js';
import { uploadFile } from './uploadFile.js';

export interface ExecuteOptions {
  readonly concurrency: number;
  readonly retry: <R>(fn: () => Promise<R>) => Promise<R>;
}

/** The local path a remote object maps to: the scanned local spelling when one matches its key, else the key. */
function localPathFor(ctx: SyncContext, objectKey: string): string {
  return ctx.localPathByKey.get(objectKey) ?? objectKey;
}

async function runAction(ctx: SyncContext, action: SyncAction): Promise<void> {
  switch (action.type) {
    case 'upload':
      await uploadFile(retiringBase(ctx, action.replacesBase), action.path, action.replacesKey);
      ctx.progress.finished('up');
      return;
    case 'download': {
      const key = remoteKeyOf(action.path);
      const target = retiringBase(ctx, action.replacesBase);
      if (action.replacesLocal !== undefined) await downloadRespelled(target, key, action.replacesLocal);
      else {
        const localPath = localPathFor(ctx, key);
        await downloadFile(target, key, localPath, ctx.locals.has(localPath) ? localPath : undefined);
      }
      ctx.progress.finished('down');
      return;
    }
    case 'delete-remote':
      return deleteRemote(ctx, action.path);
    case 'delete-local':
      return deleteLocal(ctx, action.path);
    case 'rename-remote':
      return renameRemote(ctx, action.from, action.to);
    case 'conflict':
      return resolveConflict(retiringBase(ctx, action.replacesBase), action.path, action.kind, action.remoteKey);
    case 'record-base': {
      const local = ctx.locals.get(action.path);
      const remote = ctx.remotes.get(remoteKeyOf(action.path));
      // No version id: listings carry none, and the object sits at another key than the old base's
      // (a case-only rename made on both sides), so that base's version is not this object's.
      if (!local || !remote) return;
      const base = { path: action.path, size: local.size, sha256: local.sha256, etag: remote.etag, mtimeMs: local.mtimeMs };
      retiringBase(ctx, action.replacesBase).index.setBase(ctx.folderId, base);
      return;
    }
    case 'forget-base':
      ctx.index.removeBase(ctx.folderId, action.path);
      ctx.index.removeLocal(ctx.folderId, action.path);
      return;
    case 'skip':
      return;
  }
}

/** Phases run in order: moves first, then deletions (they free paths a download may need), then transfers. */
const PHASES: readonly (readonly SyncAction['type'][])[] = [['conflict', 'rename-remote'], ['delete-local', 'delete-remote', 'forget-base']];

function phaseOf(action: SyncAction): number {
  const index = PHASES.findIndex((types) => types.includes(action.type));
  return index < 0 ? PHASES.length : index;
}

/** Files below this size go in one request; this many more of them run at once than large ones. */
const SMALL_FILE_BYTES = 1024 * 1024;
const SMALL_FILE_CONCURRENCY_FACTOR = 4;

function sizeOf(ctx: SyncContext, action: SyncAction): number {
  if (action.type === 'upload') return ctx.locals.get(action.path)?.size ?? 0;
  if (action.type === 'download') return ctx.remotes.get(remoteKeyOf(action.path))?.size ?? 0;
  return 0;
}

function transferLanes(ctx: SyncContext, batch: readonly SyncAction[], concurrency: number): { items: SyncAction[]; concurrency: number }[] {
  const small = batch.filter((a) => sizeOf(ctx, a) < SMALL_FILE_BYTES);
  const large = batch.filter((a) => sizeOf(ctx, a) >= SMALL_FILE_BYTES);
  return [
    { items: small, concurrency: concurrency * SMALL_FILE_CONCURRENCY_FACTOR },
    { items: large, concurrency },
  ].filter((lane) => lane.items.length > 0);
}

export async function executeActions(ctx: SyncContext, actions: readonly SyncAction[], options: ExecuteOptions): Promise<QueueResult<SyncAction>> {
  const ups = actions.filter((a) => a.type === 'upload');
  const downs = actions.filter((a) => a.type === 'download');
  const bytes = ups.reduce((sum, a) => sum + (ctx.locals.get(a.path)?.size ?? 0), 0) + downs.reduce((sum, a) => sum + (ctx.remotes.get(remoteKeyOf(a.path))?.size ?? 0), 0);
  ctx.progress.plan(ups.length, downs.length, bytes);
  let done = 0;
  const skipped: QueueResult<SyncAction>['skipped'] = [];
  for (let phase = 0; phase <= PHASES.length; phase++) {
    const batch = actions.filter((a) => phaseOf(a) === phase);
    if (batch.length === 0) continue;
    // Conflicts and renames move paths other actions may touch: one at a time. Small transfers are
    // dominated by per-request latency, large ones by memory (parts in flight): they get separate limits.
    const lanes = phase === 0 ? [{ items: batch, concurrency: 1 }] : transferLanes(ctx, batch, options.concurrency);
    const results = await Promise.all(lanes.map((lane) => runQueue(lane.items, (a) => runAction(ctx, a), { concurrency: lane.concurrency, retry: options.retry, signal: ctx.signal })));
    for (const result of results) {
      done += result.done;
      skipped.push(...result.skipped);
    }
    const fatal = results.find((r) => r.fatal)?.fatal;
    if (fatal) return { done, skipped, fatal };
  }
  return { done, skipped };
}
