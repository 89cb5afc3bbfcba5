// A simulated device for sync-engine tests: its own folder, index and (optionally) vault, against a real store.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_AUDIT, type AuditEvent, type AuditSink } from '../../main/core/audit/auditEvent.js';
import { FolderCipher, type FileKeyVault } from '../../main/core/sync/folder/folderCipher.js';
import { parseFolderSettings, type EncryptionMode, type FolderSettings } from '../../main/core/sync/folder/folderSettings.js';
import { FolderSync } from '../../main/core/sync/folder/folderSync.js';
import { LocalIndex } from '../../main/core/sync/index/localIndex.js';
import { createS3ObjectStore, type S3ObjectStore } from '../../main/core/sync/remote/s3ObjectStore.js';
import { withRetries } from '../../main/core/sync/remote/retry.js';
import { TEST_CREDENTIALS, type StoreFixture } from './storeFixture.js';

export interface SyncDevice {
  readonly name: string;
  readonly root: string;
  readonly dataDir: string;
  readonly index: LocalIndex;
  readonly store: S3ObjectStore;
  readonly sync: FolderSync;
  readonly settings: FolderSettings;
  readonly events: AuditEvent[];
  /** Runs one full cycle and returns its outcome. */
  cycle(): ReturnType<FolderSync['request']>;
  close(): Promise<void>;
}

export interface DeviceOptions {
  name: string;
  bucket: string;
  mode?: EncryptionMode;
  kmsKeyId?: string;
  vault?: FileKeyVault;
  userKey?: Buffer;
  folderId?: string;
  prefix?: string;
  multipartThresholdBytes?: number;
  partSizeBytes?: number;
  deletionGuard?: { maxFraction: number; maxCount: number };
  /** Another way to the store (e.g. a proxy in front of its HTTP port); default: its HTTPS endpoint. */
  endpoint?: string;
  /** Plan as for a disk that ignores case (macOS, Windows), even on a case-sensitive one; default false. */
  caseInsensitive?: boolean;
}

export async function openSyncDevice(fixture: StoreFixture, options: DeviceOptions): Promise<SyncDevice> {
  const base = mkdtempSync(join(tmpdir(), `coffer-${options.name}-`));
  const root = join(base, 'folder');
  const dataDir = join(base, 'data');
  mkdirSync(root);
  mkdirSync(dataDir);
  const settings = parseFolderSettings({
    id: options.folderId ?? 'folder-0000-test',
    localPath: root,
    store: { kind: 'embedded' },
    bucket: options.bucket,
    prefix: options.prefix ?? '',
    mode: options.mode ?? 'sse-s3',
    kmsKeyId: options.kmsKeyId,
    sseCKeyFingerprint: options.mode === 'sse-c-key' ? '0'.repeat(64) : undefined,
    sseCKeyFile: options.mode === 'sse-c-key' ? '/dev/null' : undefined,
    deletionGuard: options.deletionGuard,
    createdAt: new Date().toISOString(),
  });
  const index = LocalIndex.open(dataDir);
  const store = createS3ObjectStore({
    endpoint: options.endpoint ?? fixture.httpsUrl,
    region: 'us-east-1',
    bucket: settings.bucket,
    prefix: settings.prefix,
    credentials: TEST_CREDENTIALS,
    forcePathStyle: true,
    tls: { caPem: fixture.caCert },
    ledger: index.uploadLedger(settings.id),
    multipartThresholdBytes: options.multipartThresholdBytes,
    partSizeBytes: options.partSizeBytes,
  });
  await store.ensureBucket();
  const events: AuditEvent[] = [];
  const audit: AuditSink = { record: (e) => void events.push(e) };
  const sync = new FolderSync({
    settings,
    store,
    cipher: new FolderCipher(settings, { vault: options.vault, userKey: options.userKey }),
    index,
    audit: audit ?? NO_AUDIT,
    device: options.name,
    concurrency: 4,
    retry: (fn) => withRetries(fn, { attempts: 3, baseMs: 20 }),
    caseInsensitive: options.caseInsensitive ?? false,
  });
  return {
    name: options.name,
    root,
    dataDir,
    index,
    store,
    sync,
    settings,
    events,
    cycle: () => sync.request(),
    async close() {
      await sync.stop();
      await store.close();
      index.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
