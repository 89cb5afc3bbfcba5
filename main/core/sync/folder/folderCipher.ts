// Turns a folder's encryption mode into the SSE parameters of each request, and finds SSE-C keys for reads.
import { RemoteError, type ObjectEncryption, type ObjectStore } from '../remote/objectStore.js';
import type { EncryptionMode, FolderSettings } from './folderSettings.js';
import { FILE_KEY_TAG } from './remoteLayout.js';

/** The part of the vault the sync engine needs for sse-c-vault folders. */
export interface FileKeyVault {
  /** A new random per-file key, and its wrapped form (safe to store in an object tag). */
  createFileKey(folderId: string, objectKey: string): { key: Buffer; descriptor: string };
  /** The key this device holds for an object, if any. */
  fileKey(folderId: string, objectKey: string): { key: Buffer; descriptor: string } | undefined;
  /** Unwraps a descriptor read from the store (another device made it); throws when no master key opens it. */
  openWrappedFileKey(descriptor: string): Buffer;
  storeFileKey(folderId: string, objectKey: string, descriptor: string): void;
  deleteFileKey(folderId: string, objectKey: string): void;
}

export class MissingKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingKeyError';
  }
}

export interface WriteEncryption {
  readonly encryption: ObjectEncryption;
  readonly tags?: Record<string, string>;
  readonly metadata?: Record<string, string>;
}

export interface FolderKeys {
  /** Needed for sse-c-vault; the vault must be unlocked. */
  readonly vault?: FileKeyVault;
  /** The user's key for sse-c-key folders (32 bytes). */
  readonly userKey?: Buffer;
}

/** How S3 refuses an SSE-C key that does not open the object: 403 AccessDenied, or 400 for a key the object does not take. */
function isKeyRefusal(err: unknown): boolean {
  return err instanceof RemoteError && err.errorClass === 'skip' && (err.code === 'AccessDenied' || err.code === 'InvalidRequest' || err.code === 'InvalidArgument');
}

/** The access-history name of a folder mode. */
export function sseModeName(mode: EncryptionMode): 'SSE-S3' | 'SSE-KMS' | 'SSE-C' {
  return mode === 'sse-s3' ? 'SSE-S3' : mode === 'sse-kms' ? 'SSE-KMS' : 'SSE-C';
}

export class FolderCipher {
  constructor(
    private readonly settings: Pick<FolderSettings, 'id' | 'mode' | 'kmsKeyId'>,
    private readonly keys: FolderKeys,
  ) {}

  get mode(): EncryptionMode {
    return this.settings.mode;
  }

  /** SSE for writing `objectKey`; sse-c-vault keeps a file's key across its versions (rekeyFolder.ts rotates it). */
  forWrite(objectKey: string): WriteEncryption {
    switch (this.settings.mode) {
      case 'sse-s3':
        return { encryption: { mode: 'sse-s3' } };
      case 'sse-kms':
        return { encryption: { mode: 'sse-kms', keyId: this.settings.kmsKeyId } };
      case 'sse-c-key':
        return { encryption: { mode: 'sse-c', key: this.userKey() } };
      case 'sse-c-vault': {
        const vault = this.vault();
        const held = vault.fileKey(this.settings.id, objectKey) ?? vault.createFileKey(this.settings.id, objectKey);
        return { encryption: { mode: 'sse-c', key: held.key }, tags: { [FILE_KEY_TAG]: held.descriptor }, metadata: { [FILE_KEY_TAG]: held.descriptor } };
      }
    }
  }

  /**
   * SSE for reading `objectKey`: undefined for modes where the store holds the key. For
   * sse-c-vault the object's tag is the record of its key: a key this device lacks, or one that
   * replaced the key it holds (a re-key, or another device's upload), is opened from the tag and
   * kept in the vault. The held key is used when the tag names it, is absent, or cannot be opened
   * here yet. MissingKeyError when no key can be found; the vault's errors for a tag that does not open.
   */
  async forRead(objectKey: string, store: ObjectStore): Promise<ObjectEncryption | undefined> {
    if (this.settings.mode === 'sse-c-key') return { mode: 'sse-c', key: this.userKey() };
    if (this.settings.mode !== 'sse-c-vault') return undefined;
    const vault = this.vault();
    const held = vault.fileKey(this.settings.id, objectKey);
    const descriptor = (await store.getTags(objectKey))?.[FILE_KEY_TAG];
    if (held && (descriptor === undefined || descriptor === held.descriptor)) return { mode: 'sse-c', key: held.key };
    if (!descriptor) throw new MissingKeyError(`no per-file key is recorded for ${objectKey}`);
    let key: Buffer;
    try {
      key = vault.openWrappedFileKey(descriptor);
    } catch (err) {
      // A master key version not merged here yet: the held key may still be the right one.
      if (held) return { mode: 'sse-c', key: held.key };
      throw err;
    }
    // The same key wrapped under another master key version needs no new row.
    if (!held || !key.equals(held.key)) vault.storeFileKey(this.settings.id, objectKey, descriptor);
    return { mode: 'sse-c', key };
  }

  /**
   * Runs `read` (a GET, HEAD or copy of `objectKey`) with the object's read key. For sse-c-vault
   * the key this device holds is tried first, with no request: it opens the object unless another
   * device re-keyed it since. Only when the store refuses that key is the object's tag read (forRead),
   * and `read` runs once more with the key it names. Other modes: forRead, then `read`.
   */
  async readWith<T>(objectKey: string, store: ObjectStore, read: (encryption: ObjectEncryption | undefined) => Promise<T>): Promise<T> {
    const held = this.settings.mode === 'sse-c-vault' ? this.vault().fileKey(this.settings.id, objectKey) : undefined;
    if (!held) return read(await this.forRead(objectKey, store));
    try {
      return await read({ mode: 'sse-c', key: held.key });
    } catch (err) {
      if (!isKeyRefusal(err)) throw err;
      const current = await this.forRead(objectKey, store);
      // The tag names the key that was refused: the refusal is not about a stale key.
      if (current?.mode === 'sse-c' && current.key.equals(held.key)) throw err;
      return read(current);
    }
  }

  /** After a rename on the store, the file's key follows it under the new object key. */
  moveKey(fromKey: string, toKey: string): void {
    if (this.settings.mode !== 'sse-c-vault') return;
    const vault = this.vault();
    const held = vault.fileKey(this.settings.id, fromKey);
    if (!held) return;
    vault.storeFileKey(this.settings.id, toKey, held.descriptor);
    vault.deleteFileKey(this.settings.id, fromKey);
  }

  private vault(): FileKeyVault {
    if (!this.keys.vault) throw new MissingKeyError('the vault is locked: unlock it to sync this sse-c-vault folder');
    return this.keys.vault;
  }

  private userKey(): Buffer {
    if (!this.keys.userKey) throw new MissingKeyError('this folder needs its SSE-C key: supply it (or let the vault remember it)');
    return this.keys.userKey;
  }
}
