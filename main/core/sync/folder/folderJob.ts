// What the long jobs on a folder's objects share: progress, outcome, the index and vault they use, and the per-object loop.
import type { FolderJobKind, JobStart } from '../index/folderJobs.js';
import type { RemoteErrorClass } from '../remote/objectStore.js';
import { errorClassOf } from './actionQueue.js';
import type { KeyringHolder } from './keyringExchange.js';

export type { FolderJobKind } from '../index/folderJobs.js';

/** Where a job stands: objects handled so far (including those a resumed run found done) of all it covers. */
export interface JobProgress {
  readonly done: number;
  readonly total: number;
  /** The object just handled (relative to the folder's prefix). */
  readonly current?: string;
}

export interface JobRunOptions {
  /** Objects worked on at once (at least 1). */
  readonly concurrency: number;
  /** Wraps each object's work, retrying what is retriable (see remote/retry.ts). */
  readonly retry: <R>(fn: () => Promise<R>) => Promise<R>;
  /** Stops starting new objects; those under way finish. The job resumes on its next run. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: JobProgress) => void;
}

export interface JobOutcome {
  /** Objects this run re-encrypted (or found already done by an earlier run that died after its copy). */
  readonly changed: number;
  /** Objects that were gone (deleted since) when their turn came. */
  readonly skipped: number;
  /** Objects that failed; the reasons are in `errors`. */
  readonly failed: number;
  readonly errors: readonly { readonly key: string; readonly message: string }[];
  /** The signal fired before every object was handled. */
  readonly aborted: boolean;
  /** A failure that concerns every object (store unreachable, vault locked…): the run stopped at it. */
  readonly stoppedBy?: unknown;
}

/** The local index operations a job needs (the SQLite LocalIndex provides them). */
export interface JobIndex {
  beginJob(folderId: string, job: FolderJobKind, detail: string, at?: number): JobStart;
  jobFinished(folderId: string, job: FolderJobKind): Set<string>;
  markJobFinished(folderId: string, job: FolderJobKind, objectKey: string): void;
  endJob(folderId: string, job: FolderJobKind): void;
  /** See LocalIndex.replaceBaseEtag: the base follows an in-place copy (new ETag and version id). */
  replaceBaseEtag(folderId: string, key: string, fromEtag: string, toEtag: string, toVersionId?: string): boolean;
}

/** The vault operations a job needs (the client Vault provides them); every one throws VaultLockedError while locked. */
export interface JobVault extends KeyringHolder {
  /** A new key and its descriptor, not stored (see Vault.mintFileKey). */
  mintFileKey(folderId: string, objectKey: string): { key: Buffer; descriptor: string };
  fileKeyWithDescriptor(folderId: string, objectKey: string): { key: Buffer; descriptor: string } | undefined;
  openWrappedFileKey(descriptor: string): Buffer;
  storeFileKey(folderId: string, objectKey: string, descriptor: string): void;
  deleteFileKey(folderId: string, objectKey: string): unknown;
  fileKeysCreatedBefore(time: Date, folderId?: string): readonly { readonly objectKey: string }[];
}

/** A job that cannot run as asked (wrong mode, nothing pending, a different change under way). */
export class FolderJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FolderJobError';
  }
}

/** Failures that concern one object's key only; everything else is judged as the sync executor judges it. */
const ONE_OBJECT_KEY_ERRORS = new Set(['MissingKeyError', 'CryptoError', 'FileKeyDescriptorError', 'UnknownMasterKeyError', 'VaultCorruptError']);

export function jobErrorClass(err: unknown): RemoteErrorClass {
  if (err instanceof Error && ONE_OBJECT_KEY_ERRORS.has(err.name)) return 'skip';
  return errorClassOf(err);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs `work` over `keys`, `concurrency` at a time. `work` says whether it changed the object or
 * found it gone; a failure of one object is counted and the run goes on, a fatal one stops it
 * (work under way finishes) and is returned as `stoppedBy`. `alreadyDone` objects (finished by an
 * earlier run) count toward progress.
 */
export async function runObjectJob(
  keys: readonly string[],
  work: (key: string) => Promise<'changed' | 'skipped'>,
  options: JobRunOptions & { readonly alreadyDone?: number },
): Promise<JobOutcome> {
  const total = keys.length + (options.alreadyDone ?? 0);
  let done = options.alreadyDone ?? 0;
  let next = 0;
  let changed = 0;
  let skipped = 0;
  const errors: { key: string; message: string }[] = [];
  let stoppedBy: unknown;
  options.onProgress?.({ done, total });
  const worker = async (): Promise<void> => {
    while (next < keys.length && stoppedBy === undefined && !options.signal?.aborted) {
      const key = keys[next++]!;
      try {
        if ((await options.retry(() => work(key))) === 'changed') changed++;
        else skipped++;
      } catch (error) {
        errors.push({ key, message: messageOf(error) });
        if (jobErrorClass(error) === 'fatal') stoppedBy ??= error;
      }
      done++;
      options.onProgress?.({ done, total, current: key });
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, keys.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return { changed, skipped, failed: errors.length, errors, aborted: next < keys.length && stoppedBy === undefined, stoppedBy };
}
