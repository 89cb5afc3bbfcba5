// Short readable summaries of `coffer kms` results, for when --json is not given. Ids and dates only, never key bytes.
import type { AliasListEntry, KeyListEntry, KeyMetadata, KeyRotationEntry, KeyRotationStatus, ScheduledDeletion } from '../../core/keys/kms/index.js';

const day = (d: Date): string => d.toISOString();

export function keyLines(m: KeyMetadata, heading = `Key ${m.keyId}`): string[] {
  const lines = [
    heading,
    `  ARN:          ${m.arn}`,
    `  State:        ${m.keyState}`,
    `  Manager:      ${m.keyManager}`,
    `  Description:  ${m.description || '(none)'}`,
    `  Created:      ${day(m.creationDate)}`,
  ];
  if (m.deletionDate) lines.push(`  Deletion:     ${day(m.deletionDate)} (${m.pendingDeletionWindowInDays}-day window; to keep it: coffer kms cancel-key-deletion --key-id ${m.keyId})`);
  lines.push(`  Key material: ${m.currentKeyMaterialId}`);
  return lines;
}

export function createdKeyLines(m: KeyMetadata, alias: string | undefined): string[] {
  const lines = keyLines(m, `Created key ${m.keyId}`);
  if (alias) lines.splice(2, 0, `  Alias:        ${alias}`);
  return lines;
}

export function keyListLines(keys: KeyListEntry[]): string[] {
  return keys.length === 0 ? ['No keys.'] : keys.map((k) => `${k.keyId}  ${k.keyArn}`);
}

export function aliasListLines(aliases: AliasListEntry[]): string[] {
  if (aliases.length === 0) return ['No aliases.'];
  const width = Math.max(...aliases.map((a) => a.aliasName.length));
  return aliases.map((a) => `${a.aliasName.padEnd(width)}  -> ${a.targetKeyId ?? '(AWS managed key not created yet)'}`);
}

export function deletionLines(s: ScheduledDeletion): string[] {
  return [
    `Key ${s.keyId} is pending deletion; it cannot be used from now on.`,
    `It will be deleted with its aliases and key material on ${day(s.deletionDate)} (${s.pendingWindowInDays}-day window).`,
    `Data encrypted under it becomes unrecoverable then. To keep it: coffer kms cancel-key-deletion --key-id ${s.keyId}`,
  ];
}

export function rotationStatusLines(s: KeyRotationStatus): string[] {
  if (!s.keyRotationEnabled) return [`Automatic rotation of ${s.keyId}: disabled.`];
  const next = s.nextRotationDate ? `; next on ${day(s.nextRotationDate)}` : '';
  return [`Automatic rotation of ${s.keyId}: enabled, every ${s.rotationPeriodInDays} days${next}.`];
}

export function rotationListLines(rotations: KeyRotationEntry[]): string[] {
  if (rotations.length === 0) return ['No rotations yet: the key still uses the material it was created with.'];
  return rotations.map((r) => `${day(r.rotationDate)}  ${r.rotationType.padEnd(9)}  ${r.keyMaterialId}`);
}
