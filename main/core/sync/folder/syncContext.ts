// Everything one sync cycle's actions share: the folder, its store and keys, the index, and what the scan saw.
import type { AuditSink } from '../../audit/auditEvent.js';
import type { ObjectStore } from '../remote/objectStore.js';
import type { BaseFile, ConflictKind, LocalFile, RelativePath, RemoteFile } from '../syncTypes.js';
import type { FolderCipher } from './folderCipher.js';
import type { ScannedFileReader } from './readScannedFile.js';
import type { CycleProgress } from './cycleProgress.js';

/** The local index operations the executor needs (the SQLite LocalIndex provides them). */
export interface SyncIndex {
  upsertLocal(folderId: string, file: LocalFile): void;
  removeLocal(folderId: string, path: RelativePath): void;
  setBase(folderId: string, base: BaseFile): void;
  removeBase(folderId: string, path: RelativePath): void;
  addConflict(folderId: string, conflict: { path: RelativePath; conflictPath: RelativePath; kind: ConflictKind; time: number }): number;
}

export interface SyncContext {
  readonly folderId: string;
  /** Absolute path of the folder's root on this device. */
  readonly root: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly device: string;
  readonly store: ObjectStore;
  readonly cipher: FolderCipher;
  readonly index: SyncIndex;
  readonly audit: AuditSink;
  readonly now: () => Date;
  /** What the scan of this cycle found, by local path. */
  readonly locals: ReadonlyMap<RelativePath, LocalFile>;
  /** The scanned local spelling of each object key (NFD names on macOS map to NFC keys). */
  readonly localPathByKey: ReadonlyMap<string, RelativePath>;
  /** What the listing of this cycle found, by object key. */
  readonly remotes: ReadonlyMap<string, RemoteFile>;
  /** The last synced state, by object key (NFC), since the planner names paths in either spelling. */
  readonly bases: ReadonlyMap<string, BaseFile>;
  readonly progress: CycleProgress;
  readonly signal: AbortSignal;
  /** Reads the small files this cycle uploads. */
  readonly smallFiles: ScannedFileReader;
}
