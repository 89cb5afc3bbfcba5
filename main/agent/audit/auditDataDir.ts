// Finds a store's audit.db and root key for the `coffer audit` commands, never creating either.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AUDIT_DB_FILE } from '../../core/audit/auditDatabase.js';
import { loadExistingRootKey } from '../../core/keys/rootKey.js';
import { STORE_DB_FILE } from '../../core/store/storeServices.js';
import { STORE_SUBDIR } from '../runtime/dataDirLayout.js';

export interface AuditDataDir {
  dir: string;
  auditFile: string;
  /** false until the store (or the CLI) first writes an event. */
  hasLog: boolean;
}

/**
 * A store's data dir, or an agent's (whose store, or its own access history when every folder is
 * remote, lives in store/). Refuses a directory that holds neither a store nor a history: a typo
 * in --data-dir should not look like an empty history.
 */
export function resolveAuditDataDir(dataDir: string): AuditDataDir {
  const given = resolve(dataDir);
  const holdsHistory = (dir: string): boolean => existsSync(join(dir, STORE_DB_FILE)) || existsSync(join(dir, AUDIT_DB_FILE));
  const dir = holdsHistory(given) ? given : join(given, STORE_SUBDIR);
  if (!holdsHistory(dir)) {
    throw new Error(`${given} holds no store (no ${STORE_DB_FILE}) and no access history; start one with: coffer store --data-dir ${dataDir}`);
  }
  const auditFile = join(dir, AUDIT_DB_FILE);
  return { dir, auditFile, hasLog: existsSync(auditFile) };
}

/**
 * The environment's key, else the data dir's root.key. Unlike the store, this never creates a key:
 * a fresh key would make every signature in the log look forged.
 */
export function loadAuditRootKey(dir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  return loadExistingRootKey(dir, env).key;
}
