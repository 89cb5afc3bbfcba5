// The keys a folder's cipher needs on this device: the vault's per-file keys, or the user's own SSE-C key.
import type { Vault } from '../../core/keys/vault/index.js';
import { CustomerKeyError, customerKeyFingerprint, parseCustomerKey, readCustomerKeyFile } from '../../core/sync/folder/customerKeyFile.js';
import type { FolderKeys } from '../../core/sync/folder/folderCipher.js';
import type { FolderSettings } from '../../core/sync/folder/folderSettings.js';
import { vaultFileKeys } from '../../core/sync/folder/vaultFileKeys.js';

/** Why a folder cannot run yet (the vault is locked), or its keys. CustomerKeyError for a wrong or unreadable key. */
export function folderKeys(settings: FolderSettings, vault: Vault | undefined): FolderKeys | { blocked: string } {
  const unlocked = vault?.isUnlocked ? vault : undefined;
  if (settings.mode === 'sse-c-vault') {
    return unlocked ? { vault: vaultFileKeys(unlocked) } : { blocked: 'the vault is locked: unlock it to sync this folder (its per-file keys are in the vault)' };
  }
  if (settings.mode !== 'sse-c-key') return {};
  let key: Buffer;
  if (settings.sseCKeyCredentialId) {
    if (!unlocked) return { blocked: 'the vault is locked: unlock it to sync this folder (its SSE-C key is remembered in the vault)' };
    const credential = unlocked.credential(settings.sseCKeyCredentialId);
    if (!credential) throw new CustomerKeyError('the SSE-C key remembered for this folder is missing from the vault');
    key = parseCustomerKey(Buffer.from(credential.secretAccessKey), 'the remembered SSE-C key');
  } else {
    key = readCustomerKeyFile(settings.sseCKeyFile!);
  }
  if (customerKeyFingerprint(key) !== settings.sseCKeyFingerprint) {
    key.fill(0);
    throw new CustomerKeyError('this SSE-C key is not the one the folder was set up with (its fingerprint differs); objects would be unreadable with it');
  }
  return { userKey: key };
}
