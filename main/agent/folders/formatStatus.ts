// Status lines for people: one block per folder, with state, pending transfers, last sync and errors.
import type { FolderStatus } from '../../../preload/contract.js';

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function formatFolderStatus(folder: FolderStatus): string[] {
  const lines = [`${folder.localPath}  [${folder.state}]${folder.reason ? `  ${folder.reason}` : ''}`];
  lines.push(`  id ${folder.id}   store ${folder.store}   bucket ${folder.bucket}${folder.prefix ? `/${folder.prefix}` : ''}   mode ${folder.mode}${folder.kmsKeyId ? ` (${folder.kmsKeyId})` : ''}`);
  const transfer = folder.bytesTotal > 0 ? `   ${bytes(folder.bytesDone)} of ${bytes(folder.bytesTotal)} at ${bytes(folder.rate)}/s` : '';
  lines.push(`  pending up ${folder.pendingUp}, down ${folder.pendingDown}${transfer}   last sync ${folder.lastSyncAt ?? 'never'}   watch ${folder.watchMode}`);
  if (folder.watchReason) lines.push(`  watching by polling: ${folder.watchReason}`);
  if (folder.scan) lines.push(`  scanning: ${folder.scan.filesSeen} files seen, ${folder.scan.filesHashed} hashed (${bytes(folder.scan.bytesHashed)})`);
  if (folder.pendingMode !== undefined) lines.push(`  changing mode to ${folder.pendingMode}${folder.job ? `: ${folder.job.done} of ${folder.job.total} objects re-encrypted` : ''}`);
  else if (folder.job) lines.push(`  re-keying: ${folder.job.done} of ${folder.job.total} objects`);
  if (folder.pendingDeletions !== undefined) lines.push(`  waiting: ${folder.pendingDeletions} deletions need approval (coffer folder approve-deletions ${folder.id})`);
  if (folder.unresolvedConflicts > 0) lines.push(`  conflicts: ${folder.unresolvedConflicts}`);
  for (const error of folder.errors.slice(0, 10)) lines.push(`  error: ${error.path}: ${error.message}`);
  if (folder.errors.length > 10) lines.push(`  ... and ${folder.errors.length - 10} more errors`);
  return lines;
}

/** One line per busy folder, for terminals that watch long work. */
export function progressLine(folder: FolderStatus): string | undefined {
  if (folder.state === 'scanning' && folder.scan) return `${folder.localPath}: scanning, ${folder.scan.filesSeen} files seen, ${bytes(folder.scan.bytesHashed)} hashed`;
  if (folder.state !== 'syncing') return undefined;
  const share = folder.bytesTotal > 0 ? ` ${bytes(folder.bytesDone)} of ${bytes(folder.bytesTotal)} (${Math.floor((100 * folder.bytesDone) / folder.bytesTotal)}%) at ${bytes(folder.rate)}/s,` : '';
  return `${folder.localPath}: syncing,${share} ${folder.pendingUp} up and ${folder.pendingDown} down to go`;
}
