// Re-encrypts one object where it lies, by a server-side copy onto itself: the data never leaves the store.
import type { ObjectEncryption, ObjectStore } from '../remote/objectStore.js';
import { jobErrorClass } from './folderJob.js';
import { FILE_KEY_TAG } from './remoteLayout.js';

export interface InPlaceCopy {
  /** How the object is read now (its SSE-C key, or undefined when the store holds its key). */
  readonly source: ObjectEncryption | undefined;
  /** How it is written back. */
  readonly target: ObjectEncryption;
  /**
   * The per-file key descriptor (FILE_KEY_TAG) the object carries afterwards, in its tags and its
   * metadata: a descriptor to set, null to drop it, undefined to leave tags and metadata as they are.
   */
  readonly descriptor?: string | null;
  /** The object's tags when the caller has just read them (saves a request). */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The object's ETag before and after the copy (they differ: a copy is a new object), and the copy's version id on a versioned bucket. */
export interface CopiedObject {
  readonly before: string;
  readonly after: string;
  readonly afterVersionId?: string;
}

function withDescriptor(entries: Readonly<Record<string, string>>, descriptor: string | null): Record<string, string> {
  const { [FILE_KEY_TAG]: _old, ...rest } = entries;
  return descriptor === null ? rest : { ...rest, [FILE_KEY_TAG]: descriptor };
}

/**
 * Copies `key` onto itself from `source` to `target`. Other metadata and tags are kept; only the
 * descriptor changes, as asked (tags and metadata are then sent in full, S3's REPLACE directives).
 * Undefined when the object is gone. Rejects with RemoteError: a `source` that does not open the
 * object fails with class 'skip' (S3 answers 400 or 403), before anything is written.
 */
export async function copyInPlace(store: ObjectStore, key: string, copy: InPlaceCopy): Promise<CopiedObject | undefined> {
  const head = await store.head(key, copy.source);
  if (!head) return undefined;
  let tags: Record<string, string> | undefined;
  let metadata: Record<string, string> | undefined;
  if (copy.descriptor !== undefined) {
    const current = copy.tags ?? (await store.getTags(key));
    if (!current) return undefined;
    const stale = current[FILE_KEY_TAG] !== undefined || head.metadata[FILE_KEY_TAG] !== undefined;
    // Dropping a descriptor the object does not carry changes nothing: the plain copy keeps both as they are.
    if (copy.descriptor !== null || stale) {
      tags = withDescriptor(current, copy.descriptor);
      metadata = withDescriptor(head.metadata, copy.descriptor);
    }
  }
  const copied = await store.copy(key, key, { sourceEncryption: copy.source, encryption: copy.target, metadata, tags, sourceSize: head.size });
  return { before: head.etag, after: copied.etag, afterVersionId: copied.versionId };
}

/** True when `encryption` opens the object; false when S3 refuses it (wrong key, or SSE-C headers on a non-SSE-C object or none on one). */
export async function opensWith(store: ObjectStore, key: string, encryption: ObjectEncryption | undefined): Promise<boolean> {
  try {
    return (await store.head(key, encryption)) !== undefined;
  } catch (err) {
    if (jobErrorClass(err) === 'skip') return false;
    throw err;
  }
}

/** What adopting a tagged key needs from the vault. */
export interface TaggedKeyVault {
  openWrappedFileKey(descriptor: string): Buffer;
  storeFileKey(folderId: string, objectKey: string, descriptor: string): void;
}

/**
 * The object's tag names a per-file key other than `held` (or this vault holds none): when that
 * key opens and actually reads the object, it is stored in the vault for it and true is returned.
 * This is how a run that died between a copy and storing its new key is completed. False when the
 * tag is absent, names `held`, or does not open (another user's, damaged, an unknown master key).
 */
export async function adoptTaggedKey(
  store: ObjectStore,
  vault: TaggedKeyVault,
  folderId: string,
  key: string,
  tags: Readonly<Record<string, string>>,
  held: Buffer | undefined,
): Promise<boolean> {
  const descriptor = tags[FILE_KEY_TAG];
  if (descriptor === undefined) return false;
  let tagged: Buffer;
  try {
    tagged = vault.openWrappedFileKey(descriptor);
  } catch (err) {
    if (jobErrorClass(err) === 'skip') return false;
    throw err;
  }
  try {
    // The same key wrapped under a newer master key version is the same key: nothing to adopt.
    if (held && tagged.equals(held)) return false;
    if (!(await opensWith(store, key, { mode: 'sse-c', key: tagged }))) return false;
    vault.storeFileKey(folderId, key, descriptor);
    return true;
  } finally {
    tagged.fill(0);
  }
}
