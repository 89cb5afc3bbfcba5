// What disabling a KMS key or deleting it would make unreadable, said in one sentence, and how its rotation reads.
import type { KmsKeyImpact, KmsKeyInfo } from '../../preload/contract.js';
import { formatTime } from './format.js';

/** The waiting period before a scheduled deletion, in days, as AWS KMS allows it. */
export const KMS_DELETION_WINDOW = { min: 7, max: 30, default: 30 } as const;
/** The automatic rotation period, in days, as AWS KMS allows it. */
export const KMS_ROTATION_PERIOD = { min: 90, max: 2560, default: 365 } as const;

const DAY_MS = 86_400_000;

/** When a deletion scheduled now with `windowDays` would take effect (the agent decides the exact instant). */
export function deletionDateAfter(windowDays: number, now = Date.now()): Date {
  return new Date(now + windowDays * DAY_MS);
}

function objectsPhrase(count: number): string | undefined {
  if (count === 0) return undefined;
  return `${count.toLocaleString()} ${count === 1 ? 'object' : 'objects'} in the store`;
}

function foldersPhrase(folders: KmsKeyImpact['folders']): string | undefined {
  if (folders.length === 0) return undefined;
  const names = folders.map((folder) => folder.localPath).join(', ');
  return `${folders.length === 1 ? 'the folder' : 'the folders'} ${names}`;
}

/**
 * "N objects in the store and the folders X, Y become unreadable until the key is enabled again",
 * or "… permanently after <date>" for a deletion. With nothing using the key it says so, and that
 * new uses fail all the same.
 */
export function kmsImpactSentence(impact: KmsKeyImpact, action: { kind: 'disable' } | { kind: 'delete'; after: Date }): string {
  const parts = [objectsPhrase(impact.objects), foldersPhrase(impact.folders)].filter((part): part is string => part !== undefined);
  const when = action.kind === 'disable' ? 'until the key is enabled again' : `permanently after ${action.after.toLocaleDateString()}`;
  if (parts.length === 0) return `No object in the store and no folder uses this key now; anything that asks for it fails ${when}.`;
  const subject = parts.join(' and ');
  const plural = impact.objects > 1 || impact.folders.length > 1 || parts.length > 1;
  return `${subject} ${plural ? 'become' : 'becomes'} unreadable ${when}.`;
}

/** The key's name as people know it: its first alias, else its id. */
export function kmsKeyName(key: KmsKeyInfo): string {
  return key.aliases[0] ?? key.keyId;
}

/** "Every 365 days", or "Off"; the dates go in their own lines. */
export function kmsRotationSummary(key: KmsKeyInfo): string {
  if (!key.rotationEnabled) return 'Off';
  return key.rotationPeriodDays !== undefined ? `Every ${key.rotationPeriodDays} days` : 'On';
}

export function kmsStateText(key: KmsKeyInfo): string {
  if (key.state === 'PendingDeletion') return `Pending deletion (on ${formatTime(key.deletionDate)})`;
  return key.state;
}
