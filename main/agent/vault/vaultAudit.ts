// Records vault events from the command line in the data dir's access history, when it has one the CLI can sign.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AUDIT_DB_FILE } from '../../core/audit/auditDatabase.js';
import { AuditLog } from '../../core/audit/auditLog.js';
import { loadExistingRootKey } from '../../core/keys/rootKey.js';
import type { VaultEventSink } from '../../core/keys/vault/index.js';
import { STORE_SUBDIR } from '../runtime/dataDirLayout.js';

/**
 * Runs `use` with a sink into `<dataDir>/audit.db` (or an agent's `<dataDir>/store/audit.db`) when that log exists and the store root key
 * (COFFER_STORE_ROOT_KEY or root.key) is there to sign it; otherwise with no sink: a client-only
 * data dir has no access history, and the CLI never starts one. A log that cannot be opened is
 * reported on `warn` and the command goes on: the vault's own state matters more than its record.
 */
export async function withVaultAudit<T>(dataDir: string, env: NodeJS.ProcessEnv, warn: (line: string) => void, use: (sink: VaultEventSink | undefined) => Promise<T>): Promise<T> {
  // An agent's data dir keeps its access history with its embedded store, in store/.
  const dir = [resolve(dataDir), join(resolve(dataDir), STORE_SUBDIR)].find((d) => existsSync(join(d, AUDIT_DB_FILE)));
  if (dir === undefined) return use(undefined);
  let log: AuditLog | undefined;
  try {
    log = AuditLog.openInDataDir(dir, { rootKey: loadExistingRootKey(dir, env).key, busyTimeoutMs: 15_000 });
  } catch (err) {
    warn(`not recorded in the access history: ${err instanceof Error ? err.message : String(err)}`);
    return use(undefined);
  }
  const opened = log;
  try {
    return await use((event) => opened.record(event));
  } finally {
    await opened.close();
  }
}
