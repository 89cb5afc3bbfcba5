// The client vault seen through the cipher's narrow FileKeyVault interface.
import type { Vault } from '../../keys/vault/index.js';
import type { FileKeyVault } from './folderCipher.js';

export function vaultFileKeys(vault: Vault): FileKeyVault {
  return {
    createFileKey: (folderId, objectKey) => vault.createFileKey(folderId, objectKey),
    fileKey: (folderId, objectKey) => vault.fileKeyWithDescriptor(folderId, objectKey),
    openWrappedFileKey: (descriptor) => vault.openWrappedFileKey(descriptor),
    storeFileKey: (folderId, objectKey, descriptor) => vault.storeFileKey(folderId, objectKey, descriptor),
    deleteFileKey: (folderId, objectKey) => void vault.deleteFileKey(folderId, objectKey),
  };
}
