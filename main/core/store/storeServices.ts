// Everything an operation needs, opened once per store: metadata, blobs, keys, the KMS, the access history.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { AuditLog } from '../audit/auditLog.js';
import { NO_AUDIT, type AuditSink } from '../audit/auditEvent.js';
import { openDatabase, type SqliteDatabase } from '../db/openDatabase.js';
import { openLocalKms, type LocalKms } from '../keys/kms/index.js';
import { StoreKeyring } from '../keys/storeKeyring.js';
import { BackgroundUnlinks } from './storage/backgroundUnlinks.js';
import { BlobStore } from './storage/blobStore.js';
import { CommitQueue } from './storage/commitQueue.js';
import { MetadataStore } from './storage/metadataStore.js';
import { storeMigrations } from './storage/migrations/index.js';
import type { StoreOptions } from './storeOptions.js';

export const STORE_DB_FILE = 'store.db';

/**
 * The metadata and the inline (small-object) blobs: hot rows stay in SQLite's cache, the rest is
 * one pread from the OS page cache away. 4 MiB instead of the build's 16 keeps the store's
 * resident size bounded while it serves millions of small objects.
 */
const STORE_DB_CACHE_KIB = 4096;

export interface StoreServices {
  readonly options: StoreOptions;
  readonly db: SqliteDatabase;
  readonly meta: MetadataStore;
  readonly blobs: BlobStore;
  readonly keyring: StoreKeyring;
  readonly kms: LocalKms;
  /** The access history (audit.db), or a sink that drops events when the store runs without one. */
  readonly audit: AuditSink;
  /** The same log, for maintenance (retention); undefined when the store keeps no history. */
  readonly auditLog: AuditLog | undefined;
  readonly commits: CommitQueue;
  /** Unlinks of blob files that commits left unreferenced, still running. */
  readonly unlinks: BackgroundUnlinks;
  /** Commits a metadata change; the blob files it made unreferenced are unlinked after it resolves. */
  commit<T>(work: () => { result: T; garbage: string[] }, syncDirs?: readonly string[]): Promise<T>;
  close(): Promise<void>;
}

export async function openStoreServices(options: StoreOptions): Promise<StoreServices> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(join(options.dataDir, STORE_DB_FILE), { migrations: storeMigrations, cacheKiB: STORE_DB_CACHE_KIB });
  const auditLog = options.auditLog === false ? undefined : AuditLog.openInDataDir(options.dataDir, { rootKey: options.rootKey });
  const audit: AuditSink = auditLog ?? NO_AUDIT;
  const opened = openLocalKms(options.dataDir, { rootKey: options.rootKey, region: options.region, audit });
  const blobs = new BlobStore(join(options.dataDir, 'blobs'), db, { directIo: options.directIo });
  await blobs.init();
  const meta = new MetadataStore(db, blobs);
  const keyring = new StoreKeyring(db, options.rootKey);
  keyring.current();
  const commits = new CommitQueue(db);
  const unlinks = new BackgroundUnlinks(blobs);
  if (options.sweepOrphanBlobs !== false) await sweepOrphans(meta, blobs);
  return {
    options,
    db,
    meta,
    blobs,
    keyring,
    kms: opened.kms,
    audit,
    auditLog,
    commits,
    unlinks,
    async commit(work, syncDirs = []) {
      const { result, garbage } = await commits.submit(work, syncDirs);
      unlinks.start(garbage);
      return result;
    },
    async close() {
      await commits.idle();
      await unlinks.settled();
      opened.close();
      db.close();
      await auditLog?.close();
    },
  };
}

/**
 * A crash between writing a blob file and committing its row leaves a file nothing names;
 * at start, before any request, such files are removed.
 */
async function sweepOrphans(meta: MetadataStore, blobs: BlobStore): Promise<void> {
  const orphans = (await blobs.listFiles()).filter((id) => !meta.isReferenced(id));
  await blobs.deleteFiles(orphans);
}
