// `coffer store reseal`: runs the re-seal job on a data dir, running store or not, with progress.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AuditLog } from '../../core/audit/auditLog.js';
import { openDatabase } from '../../core/db/openDatabase.js';
import { openLocalKms } from '../../core/keys/kms/index.js';
import { loadExistingRootKey } from '../../core/keys/rootKey.js';
import { StoreKeyring } from '../../core/keys/storeKeyring.js';
import { resealObjects, type ResealProgress } from '../../core/store/maintenance/resealObjects.js';
import { BlobStore } from '../../core/store/storage/blobStore.js';
import { MetadataStore } from '../../core/store/storage/metadataStore.js';
import { storeMigrations } from '../../core/store/storage/migrations/index.js';
import { STORE_DB_FILE } from '../../core/store/storeServices.js';

export async function runReseal(
  dataDirArg: string,
  region: string,
  onProgress: (p: ResealProgress) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResealProgress> {
  const dataDir = resolve(dataDirArg);
  if (!existsSync(join(dataDir, STORE_DB_FILE))) throw new Error(`${dataDir} holds no store (no ${STORE_DB_FILE}); start one with: coffer store --data-dir ${dataDirArg}`);
  const rootKey = loadExistingRootKey(dataDir, env).key;
  const db = openDatabase(join(dataDir, STORE_DB_FILE), { migrations: storeMigrations, busyTimeoutMs: 15_000 });
  const audit = AuditLog.openInDataDir(dataDir, { rootKey });
  const kms = openLocalKms(dataDir, { rootKey, region, audit, busyTimeoutMs: 15_000 });
  try {
    const meta = new MetadataStore(db, new BlobStore(join(dataDir, 'blobs'), db));
    return await resealObjects({ meta, keyring: new StoreKeyring(db, rootKey), kms: kms.kms, audit }, { principal: 'coffer-cli', userAgent: 'coffer-cli' }, onProgress);
  } finally {
    kms.close();
    db.close();
    await audit.close();
  }
}
