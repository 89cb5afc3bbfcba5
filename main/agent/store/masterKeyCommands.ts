// `coffer store rotate-master-key` and `list-master-keys`: keyring administration on a data dir, running store or not.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AuditLog } from '../../core/audit/auditLog.js';
import { openDatabase } from '../../core/db/openDatabase.js';
import { masterKeyRotationEvent } from '../../core/keys/keyEvents.js';
import { loadExistingRootKey } from '../../core/keys/rootKey.js';
import { StoreKeyring } from '../../core/keys/storeKeyring.js';
import { STORE_DB_FILE } from '../../core/store/storeServices.js';
import { storeMigrations } from '../../core/store/storage/migrations/index.js';

function withKeyring<T>(dataDir: string, env: NodeJS.ProcessEnv, use: (keyring: StoreKeyring) => T): T {
  const dir = resolve(dataDir);
  const file = join(dir, STORE_DB_FILE);
  if (!existsSync(file)) throw new Error(`${dir} holds no store (no ${STORE_DB_FILE}); start one with: coffer store --data-dir ${dataDir}`);
  const rootKey = loadExistingRootKey(dir, env);
  // The running store may hold the write lock for a moment; wait rather than fail.
  const db = openDatabase(file, { migrations: storeMigrations, busyTimeoutMs: 15_000 });
  try {
    return use(new StoreKeyring(db, rootKey.key));
  } finally {
    db.close();
  }
}

export async function rotateMasterKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<{ version: number; previous: number | undefined }> {
  const rotated = withKeyring(dataDir, env, (keyring) => {
    const previous = keyring.list().at(-1)?.version;
    keyring.get(previous ?? keyring.current().version); // proves the root key opens the keyring before adding to it
    return { version: keyring.rotate(), previous };
  });
  // The rotation goes into the same access history as the store's own.
  const log = AuditLog.openInDataDir(resolve(dataDir), { rootKey: loadExistingRootKey(resolve(dataDir), env).key });
  log.record(masterKeyRotationEvent(rotated.version, 'coffer-cli'));
  await log.close();
  return rotated;
}

export function listMasterKeys(dataDir: string, env: NodeJS.ProcessEnv = process.env): { version: number; createdAt: Date }[] {
  return withKeyring(dataDir, env, (keyring) => keyring.list());
}
