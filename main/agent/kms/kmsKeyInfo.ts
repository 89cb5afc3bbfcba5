// A KMS key as the UI shows it: state, aliases, rotation and how many materials it holds, never the materials themselves.
import type { KmsKeyInfo } from '../../../preload/contract.js';
import { isKmsError, type AliasListEntry, type KeyMetadata, type LocalKms } from '../../core/keys/kms/index.js';

/** The fields of a KmsKeyInfo, from the key's metadata and its aliases (only ids, names and dates). */
function infoOf(kms: LocalKms, key: KeyMetadata, aliases: readonly string[]): KmsKeyInfo {
  const rotation = kms.getKeyRotationStatus({ keyId: key.keyId });
  const rotations = kms.listKeyRotations({ keyId: key.keyId });
  const lastRotation = rotations.at(-1);
  return {
    keyId: key.keyId,
    arn: key.arn,
    aliases: [...aliases],
    description: key.description,
    state: key.keyState,
    createdAt: key.creationDate.toISOString(),
    awsManaged: key.keyManager === 'AWS',
    ...(key.deletionDate ? { deletionDate: key.deletionDate.toISOString() } : {}),
    rotationEnabled: rotation.keyRotationEnabled,
    ...(rotation.rotationPeriodInDays !== undefined ? { rotationPeriodDays: rotation.rotationPeriodInDays } : {}),
    ...(lastRotation ? { lastRotatedAt: lastRotation.rotationDate.toISOString() } : {}),
    ...(rotation.nextRotationDate ? { nextRotationAt: rotation.nextRotationDate.toISOString() } : {}),
    // The material a key is created with is not a rotation; every rotation adds one.
    materials: 1 + rotations.length,
  };
}

/**
 * The key any identifier names (key id, key ARN, alias name, alias ARN), in any state. KmsError
 * NotFoundException when it names no key here (including `alias/aws/s3` before its first use).
 */
export function describeKmsKey(kms: LocalKms, keyId: string): KmsKeyInfo {
  const key = kms.describeKey({ keyId });
  const aliases = kms.listAliases({ keyId: key.keyId }).map((a) => a.aliasName);
  return infoOf(kms, key, aliases);
}

function aliasesByKey(entries: readonly AliasListEntry[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const entry of entries) {
    // AWS managed aliases whose key is not made yet name no key.
    if (entry.targetKeyId === undefined) continue;
    byKey.set(entry.targetKeyId, [...(byKey.get(entry.targetKeyId) ?? []), entry.aliasName]);
  }
  return byKey;
}

/** Every key of the KMS's region, oldest first, customer and AWS managed (aws/s3 once it has been used). */
export function listKmsKeys(kms: LocalKms): KmsKeyInfo[] {
  const aliases = aliasesByKey(kms.listAliases());
  const infos: KmsKeyInfo[] = [];
  for (const { keyId } of kms.listKeys()) {
    try {
      infos.push(infoOf(kms, kms.describeKey({ keyId }), aliases.get(keyId) ?? []));
    } catch (err) {
      // Deleted by another process (the store's due work, `coffer kms`) since the listing: gone, not an error.
      if (!isKmsError(err, 'NotFoundException')) throw err;
    }
  }
  return infos;
}
