// The local index: one SQLite file per data dir holding each folder's last scan, last synced base, uploads, state and conflicts.
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../db/openDatabase.js';
import { remoteKeyOf } from '../pathKey.js';
import type { UploadLedger } from '../remote/objectStore.js';
import { versionIdOf } from '../remote/versionId.js';
import type { BaseFile, LocalFile, RelativePath } from '../syncTypes.js';
import { ConflictLog, type ConflictRecord, type NewConflict } from './conflictLog.js';
import { FolderJobs, type FolderJobKind, type JobStart } from './folderJobs.js';
import { FolderStates, type FolderState } from './folderStates.js';
import { indexMigrations } from './migrations/index.js';
import { SqliteUploadLedger } from './sqliteUploadLedger.js';
import { StatementCache } from './statementCache.js';

export const INDEX_FILE = 'index.sqlite';

/** A file as the last scan recorded it. */
export type LocalEntry = Omit<LocalFile, 'path'>;

export interface LocalIndexOptions {
  /** Milliseconds since the epoch; stamps synced_at, checkpoints and conflicts. Tests pin it. */
  readonly now?: () => number;
  readonly busyTimeoutMs?: number;
}

type LocalRow = [path: string, size: number, mtimeMs: number, inode: number, sha256: string];
type BaseRow = [path: string, size: number, sha256: string, etag: string, mtimeMs: number, versionId: string | null];

const LOCAL_COLUMNS = 'path, local_size, local_mtime_ms, local_inode, local_sha256';
const BASE_COLUMNS = 'path, synced_size, synced_sha256, synced_etag, synced_mtime_ms, synced_version_id';

/**
 * Single-writer by design: one agent owns a data dir. Every method is synchronous and commits
 * on return unless called inside `transaction`, which is how bulk writers (the scanner) batch.
 * Paths are stored as the file system spelled them; their NFC key (remoteKeyOf) is kept beside for lookups.
 */
export class LocalIndex {
  private readonly statements: StatementCache;
  private readonly folderStates: FolderStates;
  private readonly conflictLog: ConflictLog;
  private readonly jobs: FolderJobs;
  private readonly now: () => number;

  private constructor(readonly db: SqliteDatabase, options: LocalIndexOptions) {
    this.now = options.now ?? Date.now;
    this.statements = new StatementCache(db);
    this.folderStates = new FolderStates(this.statements, this.now);
    this.conflictLog = new ConflictLog(this.statements, this.now);
    this.jobs = new FolderJobs(this.statements, this.now);
  }

  /**
   * Opens (creating if needed) `<dataDir>/index.sqlite`: WAL, synchronous=FULL, migrations applied.
   * Throws when dataDir does not exist, and SchemaTooNewError for a file from a newer Coffer.
   */
  static open(dataDir: string, options: LocalIndexOptions = {}): LocalIndex {
    const db = openDatabase(join(dataDir, INDEX_FILE), { migrations: indexMigrations, busyTimeoutMs: options.busyTimeoutMs });
    return new LocalIndex(db, options);
  }

  close(): void {
    this.db.close();
  }

  /** Runs `work` in one write transaction (nested calls become savepoints); a throw rolls it all back. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /** Every file the last scan of the folder recorded, by path as on disk. */
  localEntries(folderId: string): Map<RelativePath, LocalEntry> {
    const rows = this.statements
      .get(`SELECT ${LOCAL_COLUMNS} FROM files WHERE folder_id = ? AND local_size IS NOT NULL`)
      .raw()
      .all(folderId) as LocalRow[];
    return toLocalMap(rows);
  }

  /** The recorded files strictly under directory `dir` ('a/b' gives 'a/b/…'); '' gives the whole folder. */
  localEntriesUnder(folderId: string, dir: RelativePath): Map<RelativePath, LocalEntry> {
    if (dir === '') return this.localEntries(folderId);
    // BINARY order: every 'dir/…' sorts in ['dir/', 'dir0') because '0' follows '/', so this is one range scan.
    const rows = this.statements
      .get(`SELECT ${LOCAL_COLUMNS} FROM files WHERE folder_id = ? AND path > ? AND path < ? AND local_size IS NOT NULL`)
      .raw()
      .all(folderId, `${dir}/`, `${dir}0`) as LocalRow[];
    return toLocalMap(rows);
  }

  localEntry(folderId: string, path: RelativePath): LocalEntry | undefined {
    const row = this.statements
      .get(`SELECT ${LOCAL_COLUMNS} FROM files WHERE folder_id = ? AND path = ? AND local_size IS NOT NULL`)
      .raw()
      .get(folderId, path) as LocalRow | undefined;
    return row === undefined ? undefined : { size: row[1], mtimeMs: row[2], inode: row[3], sha256: row[4] };
  }

  /** Every recorded spelling of one NFC key (more than one means a normalization clash on disk). */
  pathsWithKey(folderId: string, key: string): RelativePath[] {
    return this.statements.get('SELECT path FROM files WHERE folder_id = ? AND key = ? ORDER BY path').pluck().all(folderId, key) as string[];
  }

  /** Records what the scan found; the synced base of the path is kept. */
  upsertLocal(folderId: string, file: LocalFile): void {
    this.statements
      .get(
        `INSERT INTO files (folder_id, path, key, local_size, local_mtime_ms, local_inode, local_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (folder_id, path) DO UPDATE SET local_size = excluded.local_size, local_mtime_ms = excluded.local_mtime_ms,
           local_inode = excluded.local_inode, local_sha256 = excluded.local_sha256`,
      )
      .run(folderId, file.path, remoteKeyOf(file.path), file.size, file.mtimeMs, file.inode, file.sha256);
  }

  /** The file is gone from disk: clears the scan columns and drops the row when no base remains. A missing path is a no-op. */
  removeLocal(folderId: string, path: RelativePath): void {
    this.statements.get('DELETE FROM files WHERE folder_id = ? AND path = ? AND synced_size IS NULL').run(folderId, path);
    this.statements
      .get('UPDATE files SET local_size = NULL, local_mtime_ms = NULL, local_inode = NULL, local_sha256 = NULL WHERE folder_id = ? AND path = ?')
      .run(folderId, path);
  }

  /** What both sides agreed on at the last sync, in path order; `versionId` is present only when one was recorded. */
  baseEntries(folderId: string): BaseFile[] {
    const rows = this.statements
      .get(`SELECT ${BASE_COLUMNS} FROM files WHERE folder_id = ? AND synced_size IS NOT NULL ORDER BY path`)
      .raw()
      .all(folderId) as BaseRow[];
    return rows.map(([path, size, sha256, etag, mtimeMs, versionId]) =>
      versionId === null ? { path, size, sha256, etag, mtimeMs } : { path, size, sha256, etag, mtimeMs, versionId },
    );
  }

  /**
   * Records a completed sync of `base.path`, stamped `syncedAt` (default: the clock); the scan columns
   * are kept. A missing, empty or "null" `versionId` is stored as none (see versionIdOf).
   */
  setBase(folderId: string, base: BaseFile, syncedAt: number = this.now()): void {
    this.statements
      .get(
        `INSERT INTO files (folder_id, path, key, synced_size, synced_sha256, synced_etag, synced_mtime_ms, synced_version_id, synced_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (folder_id, path) DO UPDATE SET synced_size = excluded.synced_size, synced_sha256 = excluded.synced_sha256,
           synced_etag = excluded.synced_etag, synced_mtime_ms = excluded.synced_mtime_ms, synced_version_id = excluded.synced_version_id,
           synced_at = excluded.synced_at`,
      )
      .run(folderId, base.path, remoteKeyOf(base.path), base.size, base.sha256, base.etag, base.mtimeMs, versionIdOf(base.versionId) ?? null, syncedAt);
  }

  /** Forgets the synced base (both sides deleted it), version id included; drops the row when no scan columns remain. */
  removeBase(folderId: string, path: RelativePath): void {
    this.statements.get('DELETE FROM files WHERE folder_id = ? AND path = ? AND local_size IS NULL').run(folderId, path);
    this.statements
      .get(
        `UPDATE files SET synced_size = NULL, synced_sha256 = NULL, synced_etag = NULL, synced_mtime_ms = NULL, synced_version_id = NULL,
           synced_at = NULL
         WHERE folder_id = ? AND path = ?`,
      )
      .run(folderId, path);
  }

  /**
   * After a server-side copy rewrote the object at `path`'s key (same bytes, new ETag): the base
   * takes the new ETag and the copy's version id (none when `toVersionId` is undefined: an
   * unversioned bucket) if it still records `fromEtag`, so the next cycle sees no remote change.
   * Returns whether a base was updated (none synced, or synced from another version: false).
   */
  replaceBaseEtag(folderId: string, key: string, fromEtag: string, toEtag: string, toVersionId?: string): boolean {
    return (
      this.statements
        .get('UPDATE files SET synced_etag = ?, synced_version_id = ? WHERE folder_id = ? AND key = ? AND synced_etag = ?')
        .run(toEtag, versionIdOf(toVersionId) ?? null, folderId, key, fromEtag).changes > 0
    );
  }

  /** Begins or resumes a long job on the folder's objects; see FolderJobs.begin. */
  beginJob(folderId: string, job: FolderJobKind, detail: string, at?: number): JobStart {
    return this.jobs.begin(folderId, job, detail, at);
  }

  /** The parameters (as stored text) of the job under way, or undefined. */
  jobDetail(folderId: string, job: FolderJobKind): string | undefined {
    return this.jobs.detail(folderId, job);
  }

  /** Object keys the job under way has finished (empty when none is under way). */
  jobFinished(folderId: string, job: FolderJobKind): Set<string> {
    return this.jobs.finished(folderId, job);
  }

  /** Throws SqliteError (FOREIGN KEY) unless the job was begun. */
  markJobFinished(folderId: string, job: FolderJobKind, objectKey: string): void {
    this.jobs.markFinished(folderId, job, objectKey);
  }

  /** Forgets the job and its progress (it completed). */
  endJob(folderId: string, job: FolderJobKind): void {
    this.jobs.end(folderId, job);
  }

  /** The folder's multipart checkpoints, as the ObjectStore's resumable uploads expect them. */
  uploadLedger(folderId: string): UploadLedger {
    return new SqliteUploadLedger(this.statements, folderId, this.now);
  }

  folderState(folderId: string): FolderState {
    return this.folderStates.get(folderId);
  }

  /** Merges the given fields; see FolderStates.set for how lastErrorAt is stamped. */
  setFolderState(folderId: string, patch: Partial<FolderState>): FolderState {
    return this.folderStates.set(folderId, patch);
  }

  addConflict(folderId: string, conflict: NewConflict): number {
    return this.conflictLog.add(folderId, conflict);
  }

  conflicts(folderId: string, options: { includeResolved?: boolean } = {}): ConflictRecord[] {
    return this.conflictLog.list(folderId, options);
  }

  resolveConflict(folderId: string, id: number, at?: number): boolean {
    return this.conflictLog.resolve(folderId, id, at);
  }

  /** Deletes every row the folder owns (files, checkpoints and their parts, state, conflicts, jobs and their progress) in one transaction. */
  removeFolder(folderId: string): void {
    this.transaction(() => {
      for (const table of ['files', 'upload_checkpoints', 'folder_state', 'conflicts', 'folder_jobs']) {
        this.statements.get(`DELETE FROM ${table} WHERE folder_id = ?`).run(folderId);
      }
    });
  }
}

function toLocalMap(rows: readonly LocalRow[]): Map<RelativePath, LocalEntry> {
  const map = new Map<RelativePath, LocalEntry>();
  for (const [path, size, mtimeMs, inode, sha256] of rows) map.set(path, { size, mtimeMs, inode, sha256 });
  return map;
}
