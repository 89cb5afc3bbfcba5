// The client vault: locked or unlocked, and what an unlocked vault can do with master keys, file keys and credentials.
import { readFileSync } from 'node:fs';
import type { SqliteDatabase } from '../../db/openDatabase.js';
import { systemRandom, type RandomSource } from '../../crypto/random.js';
import { listCredentialIds } from './credentials.js';
import { countFileKeys } from './fileKeys.js';
import { FolderSettings } from './folderSettings.js';
import { keyringDocument, mergeKeyringDocument, type KeyringDocument } from './keyringDocument.js';
import { listMasterKeys } from './masterKeyring.js';
import { assertNewPassphrase } from './passphrasePolicy.js';
import { parseRecoveryKey } from './recoveryKey.js';
import type { KdfParams } from './scryptKdf.js';
import { isRecoverySecretOf, openWithPassphrase, readUnlockRecord, sealUnderPassphrase, writeUnlockRecord } from './unlockRecord.js';
import { openSession, wipeSession, type Session } from './unlockedSession.js';
import { writeBackup, type BackupSummary } from './vaultBackup.js';
import { VaultLockedError, WrongPassphraseError } from './vaultErrors.js';
import { vaultEvents, type UnlockMethod, type VaultEvents } from './vaultEvents.js';
import type { FileKey, FileKeyInfo, MasterKey, MasterKeyInfo, RemoteCredential, VaultOptions, WrappedKey } from './vaultTypes.js';

/**
 * One open vault file. Made by openVault (locked), createVault, recoverVault or importBackup
 * (unlocked). Methods that touch key material throw VaultLockedError while locked; folder
 * settings, master key ids and counts are readable either way. Call close() when done.
 */
export class Vault {
  readonly folders: FolderSettings;
  private session: Session | undefined;
  private readonly random: RandomSource;
  private readonly now: () => Date;
  private readonly events: VaultEvents;

  /** Use openVault; the database is owned (and closed) by the vault from here on. */
  constructor(
    private readonly db: SqliteDatabase,
    readonly file: string,
    private readonly options: VaultOptions = {},
  ) {
    this.random = options.random ?? systemRandom;
    this.now = options.now ?? (() => new Date());
    this.events = vaultEvents(options);
    this.folders = new FolderSettings(db, this.random, this.now);
  }

  get isUnlocked(): boolean {
    return this.session !== undefined;
  }

  /** The scrypt cost of the passphrase (not secret; the salt is not shown). */
  kdfParams(): KdfParams {
    return readUnlockRecord(this.db).kdf;
  }

  /** WrongPassphraseError (recorded as VaultUnlockFailed); VaultCorruptError if a master key version is damaged. */
  async unlock(passphrase: string): Promise<void> {
    let secret: Buffer;
    try {
      secret = await openWithPassphrase(readUnlockRecord(this.db), passphrase);
    } catch (err) {
      if (err instanceof WrongPassphraseError) this.events.emit('VaultUnlockFailed', { outcome: 'failure', errorCode: 'WrongPassphrase', details: { method: 'passphrase' } });
      throw err;
    }
    this.adoptRecoverySecret(secret, 'passphrase');
  }

  /** RecoveryKeyError for a typo; WrongPassphraseError if it is another vault's key. */
  unlockWithRecoveryKey(recoveryKey: string, method: UnlockMethod = 'recovery-key'): void {
    const secret = parseRecoveryKey(recoveryKey);
    if (!isRecoverySecretOf(readUnlockRecord(this.db), secret)) {
      secret.fill(0);
      this.events.emit('VaultUnlockFailed', { outcome: 'failure', errorCode: 'WrongRecoveryKey', details: { method } });
      throw new WrongPassphraseError('recovery key');
    }
    this.adoptRecoverySecret(secret, method);
  }

  /** A key file holds the recovery key as text (as printed at init); errors as unlockWithRecoveryKey, or the read's. */
  unlockWithKeyFile(path: string): void {
    this.unlockWithRecoveryKey(readFileSync(path, 'utf8'), 'key-file');
  }

  /**
   * For the vault's own constructors and unlocks: becomes unlocked with a recovery secret already
   * proven to be this vault's (taking ownership of the buffer). Opens every master key version
   * first, so a damaged one is reported now (VaultCorruptError) and the vault stays locked.
   */
  adoptRecoverySecret(secret: Buffer, method?: UnlockMethod): void {
    this.wipeSession();
    this.session = openSession(this.db, secret, this.random, this.now);
    try {
      const versions = this.session.ring.openAll();
      if (method) this.events.emit('VaultUnlock', { details: { method, masterKeyVersions: versions } });
    } catch (err) {
      this.wipeSession();
      throw err;
    }
  }

  /** Wipes every key held in memory (zero-filled); a no-op when locked. */
  lock(): void {
    if (!this.session) return;
    this.wipeSession();
    this.events.emit('VaultLock');
  }

  /** Locks and closes the file. */
  close(): void {
    this.lock();
    if (this.db.open) this.db.close();
  }

  /**
   * Re-seals the recovery secret under `newPassphrase` with a new salt (and `kdf`, else the same
   * cost); nothing else changes, so the recovery key and every key stay valid. Works locked or
   * not. WrongPassphraseError for `oldPassphrase`; RangeError for a too-short new one.
   */
  async changePassphrase(oldPassphrase: string, newPassphrase: string, kdf?: KdfParams): Promise<void> {
    assertNewPassphrase(newPassphrase);
    const record = readUnlockRecord(this.db);
    let secret: Buffer;
    try {
      secret = await openWithPassphrase(record, oldPassphrase);
    } catch (err) {
      if (err instanceof WrongPassphraseError) this.events.emit('ChangePassphrase', { outcome: 'failure', errorCode: 'WrongPassphrase' });
      throw err;
    }
    try {
      const next = await sealUnderPassphrase(secret, newPassphrase, kdf ?? this.options.kdf ?? record.kdf, this.random, this.now().getTime());
      this.db.transaction(() => {
        // Another process may have changed it while scrypt ran: then this change would undo theirs.
        if (!readUnlockRecord(this.db).salt.equals(record.salt)) throw new Error('the passphrase was changed elsewhere meanwhile; nothing was changed, try again');
        writeUnlockRecord(this.db, { ...next, createdAt: record.createdAt });
      }).immediate();
    } finally {
      secret.fill(0);
    }
    this.events.emit('ChangePassphrase');
  }

  /** Versions oldest first, the newest marked current; ids and times only. */
  masterKeys(): MasterKeyInfo[] {
    return listMasterKeys(this.db);
  }

  /** The version new file keys are wrapped under; NoMasterKeyError in a recovered vault before a keyring merge. */
  currentMasterKey(): { id: string; createdAt: Date; key: MasterKey } {
    return this.unlocked().ring.current();
  }

  /** Creates the first master key version if there is none; returns the current version's id. */
  ensureMasterKey(): string {
    const { ring } = this.unlocked();
    return this.db.transaction(() => (listMasterKeys(this.db).length === 0 ? ring.add().id : ring.current().id)).immediate();
  }

  /**
   * Adds a new current version and re-wraps every stored file key under it, in one transaction
   * (all or none). Older versions stay: descriptors already in object tags keep opening.
   */
  rotateMasterKey(): { id: string; rewrapped: number } {
    const { ring, fileKeys } = this.unlocked();
    const previous = listMasterKeys(this.db).at(-1)?.id;
    const result = this.db.transaction(() => {
      const added = ring.add();
      return { id: added.id, rewrapped: fileKeys.rewrapAll(added.id) };
    }).immediate();
    this.events.emit('RotateVaultMasterKey', { keyVersion: result.id, details: { previousVersion: previous ?? null, rewrapped: result.rewrapped } });
    return result;
  }

  /** A new random key for the object, stored and returned with the descriptor to put in its tag. */
  createFileKey(folderId: string, objectKey: string): { key: FileKey; descriptor: WrappedKey } {
    return this.unlocked().fileKeys.create(folderId, objectKey);
  }

  /**
   * A new random key for the object and its descriptor, NOT stored: re-encryption copies the object
   * under it first and calls storeFileKey(descriptor) only once the store has it, so a failed copy
   * never leaves the vault holding a key the object was not written with. NoMasterKeyError in a
   * recovered vault before a keyring merge.
   */
  mintFileKey(folderId: string, objectKey: string): { key: FileKey; descriptor: WrappedKey } {
    return this.unlocked().fileKeys.mint(folderId, objectKey);
  }

  /** The stored key of the object, or undefined. */
  fileKey(folderId: string, objectKey: string): FileKey | undefined {
    return this.unlocked().fileKeys.get(folderId, objectKey);
  }

  /** The stored key and its current descriptor (to tag an upload with), or undefined. */
  fileKeyWithDescriptor(folderId: string, objectKey: string): { key: FileKey; descriptor: WrappedKey } | undefined {
    return this.unlocked().fileKeys.getWithDescriptor(folderId, objectKey);
  }

  /** Opens a descriptor read from the store (another device's upload). FileKeyDescriptorError or UnknownMasterKeyError. */
  openWrappedFileKey(descriptor: string): FileKey {
    return this.unlocked().fileKeys.openDescriptor(descriptor).key;
  }

  /** Stores a descriptor from the store for the object (created time: now), after checking it opens. */
  storeFileKey(folderId: string, objectKey: string, descriptor: string): void {
    this.unlocked().fileKeys.store(folderId, objectKey, descriptor);
  }

  deleteFileKey(folderId: string, objectKey: string): boolean {
    return this.unlocked().fileKeys.delete(folderId, objectKey);
  }

  fileKeysOlderThan(days: number, folderId?: string): FileKeyInfo[] {
    return this.unlocked().fileKeys.olderThan(days, folderId);
  }

  /** Keys created strictly before `time`, oldest first (a re-key run that resumes keeps its first cutoff). */
  fileKeysCreatedBefore(time: Date, folderId?: string): FileKeyInfo[] {
    return this.unlocked().fileKeys.createdBefore(time, folderId);
  }

  fileKeyCount(): number {
    return countFileKeys(this.db);
  }

  /** Every master key version, still sealed: safe to put in a bucket. Works locked. */
  exportKeyring(): KeyringDocument {
    return keyringDocument(this.db);
  }

  /** Adds the versions this vault lacks; returns how many. KeyringError (nothing merged) on any bad entry. */
  mergeKeyring(document: unknown): number {
    const added = mergeKeyringDocument(this.db, this.unlocked().masterKek, document);
    if (added > 0) this.events.emit('MergeVaultKeyring', { keyVersion: listMasterKeys(this.db).at(-1)?.id, details: { added } });
    return added;
  }

  putCredential(id: string, credential: RemoteCredential): void {
    this.unlocked().credentials.put(id, credential);
  }

  credential(id: string): RemoteCredential | undefined {
    return this.unlocked().credentials.get(id);
  }

  deleteCredential(id: string): boolean {
    return this.unlocked().credentials.delete(id);
  }

  credentialIds(): string[] {
    return listCredentialIds(this.db);
  }

  /** Writes an encrypted backup of the whole vault to `file` (mode 0600, atomically); see vaultBackup.ts. */
  exportBackup(file: string): BackupSummary {
    const summary = writeBackup(this.db, this.unlocked().secret, file, this.random, this.now);
    this.events.emit('ExportVaultBackup', { details: { ...summary } });
    return summary;
  }

  private unlocked(): Session {
    if (!this.session) throw new VaultLockedError();
    return this.session;
  }

  private wipeSession(): void {
    const session = this.session;
    this.session = undefined;
    if (session) wipeSession(session);
  }
}
