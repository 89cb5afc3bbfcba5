// LocalKms results in AWS KMS's JSON response shapes (PascalCase, as the aws cli prints them).
import type { AliasListEntry, KeyListEntry, KeyMetadata, KeyRotationEntry, KeyRotationStatus, ScheduledDeletion } from './kmsTypes.js';

/**
 * Dates are ISO 8601 UTC strings. The KMS wire protocol sends epoch seconds; aws cli v2 prints
 * ISO 8601, which is what people compare this output with.
 */
const date = (d: Date): string => d.toISOString();

/** KeyMetadata as CreateKey and DescribeKey return it, for a symmetric AWS_KMS-origin key. */
export function keyMetadataShape(m: KeyMetadata): Record<string, unknown> {
  return {
    AWSAccountId: m.accountId,
    KeyId: m.keyId,
    Arn: m.arn,
    CreationDate: date(m.creationDate),
    Enabled: m.enabled,
    Description: m.description,
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: m.keyState,
    ...(m.deletionDate ? { DeletionDate: date(m.deletionDate) } : {}),
    Origin: 'AWS_KMS',
    KeyManager: m.keyManager,
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
    ...(m.pendingDeletionWindowInDays !== undefined ? { PendingDeletionWindowInDays: m.pendingDeletionWindowInDays } : {}),
    CurrentKeyMaterialId: m.currentKeyMaterialId,
  };
}

export const describeKeyResponse = (m: KeyMetadata): Record<string, unknown> => ({ KeyMetadata: keyMetadataShape(m) });

export const listKeysResponse = (keys: KeyListEntry[]): Record<string, unknown> => ({
  Keys: keys.map((k) => ({ KeyId: k.keyId, KeyArn: k.keyArn })),
  Truncated: false,
});

export const listAliasesResponse = (aliases: AliasListEntry[]): Record<string, unknown> => ({
  Aliases: aliases.map((a) => ({
    AliasName: a.aliasName,
    AliasArn: a.aliasArn,
    ...(a.targetKeyId ? { TargetKeyId: a.targetKeyId } : {}),
    ...(a.creationDate ? { CreationDate: date(a.creationDate), LastUpdatedDate: date(a.creationDate) } : {}),
  })),
  Truncated: false,
});

export const scheduleKeyDeletionResponse = (s: ScheduledDeletion): Record<string, unknown> => ({
  KeyId: s.keyId,
  DeletionDate: date(s.deletionDate),
  KeyState: s.keyState,
  PendingWindowInDays: s.pendingWindowInDays,
});

export const cancelKeyDeletionResponse = (r: { keyId: string }): Record<string, unknown> => ({ KeyId: r.keyId });

export const keyRotationStatusResponse = (s: KeyRotationStatus): Record<string, unknown> => ({
  KeyRotationEnabled: s.keyRotationEnabled,
  KeyId: s.keyId,
  ...(s.rotationPeriodInDays !== undefined ? { RotationPeriodInDays: s.rotationPeriodInDays } : {}),
  ...(s.nextRotationDate ? { NextRotationDate: date(s.nextRotationDate) } : {}),
});

export const rotateKeyOnDemandResponse = (r: { keyId: string }): Record<string, unknown> => ({ KeyId: r.keyId });

export const listKeyRotationsResponse = (rotations: KeyRotationEntry[]): Record<string, unknown> => ({
  Rotations: rotations.map((r, i) => ({
    KeyId: r.keyId,
    KeyMaterialId: r.keyMaterialId,
    KeyMaterialState: i === rotations.length - 1 ? 'CURRENT' : 'NON_CURRENT',
    RotationDate: date(r.rotationDate),
    RotationType: r.rotationType,
  })),
  Truncated: false,
});
