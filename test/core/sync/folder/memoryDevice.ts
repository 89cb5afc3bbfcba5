// A simulated device on the in-memory store: its own folder and real index.sqlite, a FolderSync over a bucket it may share.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NO_AUDIT } from '../../../../main/core/audit/auditEvent.js';
import { FolderCipher } from '../../../../main/core/sync/folder/folderCipher.js';
import { parseFolderSettings, type FolderSettings } from '../../../../main/core/sync/folder/folderSettings.js';
import { FolderSync } from '../../../../main/core/sync/folder/folderSync.js';
import { LocalIndex } from '../../../../main/core/sync/index/localIndex.js';
import type { MemoryBucket } from '../../../../main/core/sync/remote/memoryBucket.js';
import { createMemoryObjectStore, type MemoryObjectStore } from '../../../../main/core/sync/remote/memoryObjectStore.js';
import type { ObjectStore } from '../../../../main/core/sync/remote/objectStore.js';
import { withRetries } from '../../../../main/core/sync/remote/retry.js';
import type { BaseFile } from '../../../../main/core/sync/syncTypes.js';

export const FOLDER_ID = 'folder-0000-memory';

export interface MemoryDevice {
  readonly root: string;
  readonly index: LocalIndex;
  /** The device's own store on the shared bucket (undecorated). */
  readonly store: MemoryObjectStore;
  readonly settings: FolderSettings;
  cycle(): ReturnType<FolderSync['request']>;
  write(path: string, content: string | Buffer): void;
  /** The synced base the index holds for `path`, or undefined. */
  base(path: string): BaseFile | undefined;
  close(): Promise<void>;
}

export interface MemoryDeviceOptions {
  /** Wraps the store the sync engine talks to (e.g. to act between two of its requests). */
  readonly decorate?: (store: ObjectStore) => ObjectStore;
  readonly multipartThresholdBytes?: number;
  readonly partSizeBytes?: number;
  /** Plan as for a disk that ignores case, even on a case-sensitive one; default false. */
  readonly caseInsensitive?: boolean;
}

/** An sse-s3 folder syncing through `bucket`, which must exist (MemoryBucket { exists: true }). */
export function openMemoryDevice(name: string, bucket: MemoryBucket, options: MemoryDeviceOptions = {}): MemoryDevice {
  const base = mkdtempSync(join(tmpdir(), `coffer-${name}-`));
  const root = join(base, 'folder');
  const dataDir = join(base, 'data');
  mkdirSync(root);
  mkdirSync(dataDir);
  const settings = parseFolderSettings({
    id: FOLDER_ID,
    localPath: root,
    store: { kind: 'embedded' },
    bucket: 'memory-bucket',
    mode: 'sse-s3',
    createdAt: new Date().toISOString(),
  });
  const index = LocalIndex.open(dataDir);
  const store = createMemoryObjectStore({
    bucket,
    ledger: index.uploadLedger(FOLDER_ID),
    multipartThresholdBytes: options.multipartThresholdBytes,
    partSizeBytes: options.partSizeBytes,
  });
  const sync = new FolderSync({
    settings,
    store: options.decorate ? options.decorate(store) : store,
    cipher: new FolderCipher(settings, {}),
    index,
    audit: NO_AUDIT,
    device: name,
    concurrency: 2,
    retry: (fn) => withRetries(fn, { attempts: 3, baseMs: 5 }),
    caseInsensitive: options.caseInsensitive ?? false,
  });
  return {
    root,
    index,
    store,
    settings,
    cycle: () => sync.request(),
    write(path, content) {
      const file = join(root, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    },
    base: (path) => index.baseEntries(FOLDER_ID).find((b) => b.path === path),
    async close() {
      await sync.stop();
      index.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
