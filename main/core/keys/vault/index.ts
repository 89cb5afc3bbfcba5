// The client vault's public surface: open, create, recover or restore a vault, and the types and errors callers see.
export { importBackup, type BackupSecret } from './backupImport.js';
export { DESCRIPTOR_LENGTH } from './fileKeyDescriptor.js';
export type { FolderRecord } from './folderSettings.js';
export { KEYRING_FORMAT, type KeyringDocument } from './keyringDocument.js';
export { createVault, openVault, recoverVault } from './openVault.js';
export { assertNewPassphrase, MIN_PASSPHRASE_CHARS } from './passphrasePolicy.js';
export { formatRecoveryKey, parseRecoveryKey } from './recoveryKey.js';
export { calibrateKdf, deriveUnlockKey, KDF_FLOOR, type KdfParams } from './scryptKdf.js';
export { Vault } from './vault.js';
export type { BackupSummary } from './vaultBackup.js';
export * from './vaultErrors.js';
export { VAULT_MASTER_KEY_ID, type UnlockMethod, type VaultOperation } from './vaultEvents.js';
export { VAULT_FILE, vaultPath } from './vaultFile.js';
export type { FileKey, FileKeyInfo, MasterKey, MasterKeyInfo, RemoteCredential, VaultEventSink, VaultOptions, WrappedKey } from './vaultTypes.js';
