// The vocabulary the sync engine's parts share: what a file looks like locally, remotely and at the last sync.

/**
 * A folder-relative path: '/'-separated, no leading '/', never '.' or '..' segments, in the form the
 * local file system returned it (which may be NFD on macOS). Remote object keys use its NFC form.
 */
export type RelativePath = string;

/** A regular file as the scanner found it on disk now. Empty directories are not synced (S3 has none). */
export interface LocalFile {
  readonly path: RelativePath;
  readonly size: number;
  readonly mtimeMs: number;
  readonly inode: number;
  /** Hex SHA-256 of the content; the scanner re-hashes only when size, mtime or inode changed. */
  readonly sha256: string;
}

/** An object as the remote listing shows it now (no metadata: listings carry none). */
export interface RemoteFile {
  readonly path: RelativePath;
  readonly size: number;
  /** The ETag as listed, quotes included; the change detector (not an MD5 for SSE-KMS/SSE-C/multipart). */
  readonly etag: string;
  readonly lastModifiedMs: number;
}

/** What both sides agreed on at the last successful sync of this path (the local index's "synced" columns). */
export interface BaseFile {
  readonly path: RelativePath;
  readonly size: number;
  readonly sha256: string;
  /** The remote ETag after that sync: a different ETag in a listing means the remote changed. */
  readonly etag: string;
  /** Local mtime after that sync, so a scan can tell a touched-but-identical file from an edit. */
  readonly mtimeMs: number;
  /**
   * The remote object's version id after that sync (x-amz-version-id). Undefined on a bucket without
   * versioning, which sends none or the literal "null" version, and for bases recorded before Coffer kept it.
   */
  readonly versionId?: string;
}

/**
 * One step of a sync plan; the executor runs them, the planner never touches disk or network.
 *
 * The optional `replaces*` and `remoteKey` fields exist only on a case-insensitive folder, where one
 * file can be spelled differently (by case) in the local scan, the remote listing and the base. They
 * name the file's other spellings, never another file (PLANNING.md, "Respelling").
 * - `replacesBase`: the base row's name when the action records the base under a name that differs
 *   from it by case; the executor drops that row just before it records the new one.
 */
export type SyncAction =
  | {
      readonly type: 'upload';
      readonly path: RelativePath;
      readonly reason: 'new' | 'changed' | 'remote-deleted';
      /**
       * The remote key (as listed) the upload supersedes: the same file under another case, unchanged
       * since the base. Once the upload lands, the executor moves it to the remote trash.
       */
      readonly replacesKey?: string;
      readonly replacesBase?: RelativePath;
    }
  | {
      readonly type: 'download';
      readonly path: RelativePath;
      readonly reason: 'new' | 'changed' | 'local-deleted';
      /** The scanned local file (unchanged since the base) the download overwrites, spelled otherwise by case. */
      readonly replacesLocal?: RelativePath;
      readonly replacesBase?: RelativePath;
    }
  /** The local file was deleted: move the remote object to the remote trash. */
  | { readonly type: 'delete-remote'; readonly path: RelativePath }
  /** The remote object was deleted: move the local file to the local trash. */
  | { readonly type: 'delete-local'; readonly path: RelativePath }
  /** Same content at a new local path, old path gone: a server-side copy then delete, never an upload. */
  | { readonly type: 'rename-remote'; readonly from: RelativePath; readonly to: RelativePath }
  /**
   * Both sides changed (or both are new) and may differ: the executor compares the remote's stored
   * SHA-256 first; if they differ the local copy is renamed to a conflict name and the remote wins the path.
   */
  | {
      readonly type: 'conflict';
      readonly path: RelativePath;
      readonly kind: ConflictKind;
      /**
       * Where the remote side is when its key differs from the local name by case. It is not replaced:
       * it holds the other side's version, which keeps its key and wins the path.
       */
      readonly remoteKey?: string;
      readonly replacesBase?: RelativePath;
    }
  /** Both sides hold the same content (or both deleted it): only the base changes. */
  | { readonly type: 'record-base'; readonly path: RelativePath; readonly replacesBase?: RelativePath }
  | { readonly type: 'forget-base'; readonly path: RelativePath }
  /** Cannot be synced as is (e.g. two remote names that fold to one on a case-insensitive disk). */
  | { readonly type: 'skip'; readonly path: RelativePath; readonly reason: string };

export type ConflictKind = 'both-changed' | 'both-new' | 'type-change' | 'case-clash';

export type SyncActionType = SyncAction['type'];

/** What a file-system watcher reports about one path; directories have their own event types. */
export type WatchEventType = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly path: RelativePath;
}
