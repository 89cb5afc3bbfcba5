// Which desktop notifications to show, decided by comparing two snapshots of the agent's status.
import type { AgentStatus, AppSettings, EncryptionModeName, FolderStatus } from '../../preload/contract.js';
import { folderName } from './folderName.js';

export interface Notice {
  kind: 'conflict' | 'error' | 'job-finished';
  folderId: string;
  title: string;
  body: string;
}

const MODE_NAMES: Record<EncryptionModeName, string> = {
  'sse-s3': 'SSE-S3',
  'sse-kms': 'SSE-KMS',
  'sse-c-vault': 'SSE-C with vault keys',
  'sse-c-key': 'SSE-C with your key',
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function noticesForFolder(before: FolderStatus, after: FolderStatus): Notice[] {
  const name = folderName(after.localPath);
  const notices: Notice[] = [];
  const newConflicts = after.unresolvedConflicts - before.unresolvedConflicts;
  if (newConflicts > 0) {
    notices.push({ kind: 'conflict', folderId: after.id, title: `${plural(newConflicts, 'new conflict')} in ${name}`, body: 'Open Coffer to keep your copy, theirs, or both.' });
  }
  if (before.job && !after.job) {
    const what = before.job.kind === 'rekey' ? 'Re-keying' : 'The encryption change';
    const stopped = after.state === 'error';
    notices.push({
      kind: 'job-finished',
      folderId: after.id,
      title: `${what} ${stopped ? 'stopped' : 'finished'} in ${name}`,
      body: stopped ? (after.reason ?? 'Open Coffer for the details.') : before.job.kind === 'rekey' ? 'Every file has its new key.' : `The folder now syncs in ${MODE_NAMES[after.mode]}.`,
    });
    return notices; // the job's own outcome says it; no second notice for the same stop
  }
  if (after.state === 'error' && before.state !== 'error') {
    notices.push({ kind: 'error', folderId: after.id, title: `Sync stopped in ${name}`, body: after.reason ?? 'Open Coffer for the details.' });
  } else if (after.state !== 'error') {
    const known = new Set(before.errors.map((e) => `${e.path}\0${e.message}`));
    const fresh = after.errors.filter((e) => !known.has(`${e.path}\0${e.message}`));
    if (fresh.length > 0) {
      notices.push({ kind: 'error', folderId: after.id, title: `${plural(fresh.length, 'file')} could not sync in ${name}`, body: `${fresh[0]!.path}: ${fresh[0]!.message}` });
    }
  }
  return notices;
}

/**
 * The notices that `after` calls for, given the snapshot shown before: new conflicts, a folder that
 * went into error, files that newly failed, and a re-key or mode change that ended (finished, or
 * stopped when the folder is in error after it). Nothing for the first snapshot (`before`
 * undefined: what existed at start is in the window already), for new or removed folders, or for a
 * state that has not changed. Messages carry paths and reasons, never key material.
 */
export function noticesBetween(before: AgentStatus | undefined, after: AgentStatus): Notice[] {
  if (!before) return [];
  const previous = new Map(before.folders.map((f) => [f.id, f]));
  return after.folders.flatMap((folder) => {
    const earlier = previous.get(folder.id);
    return earlier ? noticesForFolder(earlier, folder) : [];
  });
}

/** Where a desktop notification comes from: the agent's own news (a status change, a hint), or the answer to something the user just did (a tray command that failed). */
export type NoticeOrigin = 'news' | 'answer';

/**
 * Whether to show a notification: every one while `notifications` is on; when it is off, answers
 * still show, since a tray command has no other way to say that it failed.
 */
export function shouldNotify(origin: NoticeOrigin, settings: Pick<AppSettings, 'notifications'>): boolean {
  return settings.notifications || origin === 'answer';
}
