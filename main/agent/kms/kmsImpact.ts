// What losing a KMS key would make unreadable: the embedded store's objects sealed under it and the folders that use it.
import type { KmsKeyImpact } from '../../../preload/contract.js';
import { isKmsError, type LocalKms } from '../../core/keys/kms/index.js';
import type { MetadataStore } from '../../core/store/storage/metadataStore.js';
import type { FolderSettings } from '../../core/sync/folder/folderSettings.js';

/** The key an sse-kms folder without a key id uses, as S3 does: the AWS managed key. */
const AWS_S3_ALIAS = 'alias/aws/s3';

/** The KMS identifiers a folder writes with: its mode's, and a pending change's (it writes under that one while the change runs). */
function kmsKeysOf(settings: FolderSettings): string[] {
  const ids: string[] = [];
  if (settings.mode === 'sse-kms') ids.push(settings.kmsKeyId ?? AWS_S3_ALIAS);
  if (settings.pendingMode?.mode === 'sse-kms') ids.push(settings.pendingMode.kmsKeyId ?? AWS_S3_ALIAS);
  return ids;
}

/** Whether `identifier` (alias, id or ARN, as the folder keeps it) names the key `keyId` in this KMS now. */
function namesKey(kms: LocalKms, identifier: string, keyId: string): boolean {
  try {
    return kms.describeKey({ keyId: identifier }).keyId === keyId;
  } catch (err) {
    // An alias since deleted, or a key already gone: it names no key, so not this one.
    if (isKmsError(err)) return false;
    throw err;
  }
}

/**
 * The key `keyId` names (any identifier form), the count of the store's objects sealed under it, and
 * the folders on the embedded store whose mode or pending mode uses it (a remote folder's key id
 * names a key of the remote's KMS, never this one). Aliases are resolved now, so a folder whose
 * alias was moved to another key counts for that key. KmsError NotFoundException for an unknown key.
 */
export function kmsKeyImpact(kms: LocalKms, meta: MetadataStore, folders: Iterable<FolderSettings>, keyId: string): KmsKeyImpact {
  const key = kms.describeKey({ keyId });
  const using: KmsKeyImpact['folders'] = [];
  for (const settings of folders) {
    if (settings.store.kind !== 'embedded') continue;
    if (kmsKeysOf(settings).some((id) => namesKey(kms, id, key.keyId))) using.push({ id: settings.id, localPath: settings.localPath });
  }
  return { keyId: key.keyId, objects: meta.countObjectsSealedUnder(key.arn), folders: using };
}
