// The vault's typed errors: each names what went wrong and what to do, never a secret.
export { SchemaTooNewError } from '../../db/migrate.js';

/** The passphrase (or recovery key) does not open this vault or backup. */
export class WrongPassphraseError extends Error {
  override readonly name = 'WrongPassphraseError';
  constructor(what: 'passphrase' | 'recovery key' = 'passphrase', target = 'the vault') {
    const hint = what === 'passphrase' ? ` (if you are sure it is right, the unlock record may be damaged: unlock with the recovery key)` : '';
    super(`wrong ${what}: it does not open ${target}${hint}`);
  }
}

/** A recovery key that cannot be one: bad characters, wrong length, or a checksum mismatch (a typo). */
export class RecoveryKeyError extends Error {
  override readonly name = 'RecoveryKeyError';
}

/** The vault file, or a sealed value in it, is damaged; the message names what. Nothing was changed. */
export class VaultCorruptError extends Error {
  override readonly name = 'VaultCorruptError';
  constructor(what: string, options?: ErrorOptions) {
    super(`the vault is damaged: ${what}; nothing was changed (restore a backup, or recover with the recovery key)`, options);
  }
}

/** A backup file that is not one, or whose contents fail authentication. */
export class BackupCorruptError extends Error {
  override readonly name = 'BackupCorruptError';
  constructor(what: string, options?: ErrorOptions) {
    super(`the backup is unusable: ${what}`, options);
  }
}

export class VaultExistsError extends Error {
  override readonly name = 'VaultExistsError';
  constructor(file: string) {
    super(`a vault already exists at ${file}; nothing was overwritten`);
  }
}

export class VaultMissingError extends Error {
  override readonly name = 'VaultMissingError';
  constructor(file: string) {
    super(`no vault at ${file}; create one with: coffer vault init`);
  }
}

/** The operation needs key material and the vault is locked. */
export class VaultLockedError extends Error {
  override readonly name = 'VaultLockedError';
  constructor() {
    super('the vault is locked; unlock it first');
  }
}

/** The vault holds no master key version yet (a recovered vault before its keyring is merged). */
export class NoMasterKeyError extends Error {
  override readonly name = 'NoMasterKeyError';
  constructor() {
    super('no master key yet; merge the keyring from the store (or create one with ensureMasterKey)');
  }
}

/** A wrapped file key names a master key version this vault does not have. */
export class UnknownMasterKeyError extends Error {
  override readonly name = 'UnknownMasterKeyError';
  constructor(id: string) {
    super(`master key version ${id} is not in this vault; merge the keyring from the store`);
  }
}

/** A file key descriptor (from an object tag) that is malformed or fails authentication. */
export class FileKeyDescriptorError extends Error {
  override readonly name = 'FileKeyDescriptorError';
}

/** A keyring object that is malformed, from another vault, or disagrees with this vault. */
export class KeyringError extends Error {
  override readonly name = 'KeyringError';
}
