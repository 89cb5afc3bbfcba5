// Opening the embedded KMS of a data dir for one `coffer kms` command, whether or not the store is running.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AuditSink } from '../../core/audit/auditEvent.js';
import { AuditLog } from '../../core/audit/auditLog.js';
import { CryptoError } from '../../core/crypto/cryptoError.js';
import { KmsError, openLocalKms, type KmsActor, type LocalKms, type OpenedKms } from '../../core/keys/kms/index.js';
import { loadExistingRootKey } from '../../core/keys/rootKey.js';
import { STORE_DB_FILE } from '../../core/store/storeServices.js';

/** How the audit trail names what the command line does. */
export const CLI_ACTOR: KmsActor = { principal: 'coffer-cli', userAgent: 'coffer-cli' };

export interface KmsSessionOptions {
  dataDir: string;
  region: string;
  /** Where admin events go; by default the data dir's access history (audit.db). */
  audit?: AuditSink;
  env: NodeJS.ProcessEnv;
  now: () => Date;
}

/**
 * Runs `use` against the data dir's kms.db and closes it. Refuses a directory without a store, so
 * a typo in --data-dir never creates a stray root key and KMS. Due work (deletions whose window
 * ended, due rotations) is done first, so what the command shows and changes is current.
 * KmsErrors become `<AWS exception>: <message>`, the way the aws cli names them.
 */
export async function withKms<T>(options: KmsSessionOptions, use: (kms: LocalKms) => T): Promise<T> {
  const dir = resolve(options.dataDir);
  if (!existsSync(join(dir, STORE_DB_FILE))) {
    throw new Error(`${dir} holds no store (no ${STORE_DB_FILE}); start one with: coffer store --data-dir ${options.dataDir}`);
  }
  const rootKey = loadExistingRootKey(dir, options.env);
  // The running store may hold the write lock for a moment; wait rather than fail.
  const rootKeyName = rootKey.origin === 'environment' ? 'COFFER_STORE_ROOT_KEY' : join(dir, 'root.key');
  const wrongRootKey = (cause: unknown): Error => new Error(`the root key (${rootKeyName}) does not open this store's KMS keys; nothing was changed`, { cause });
  let opened: OpenedKms;
  // Key administration from the command line lands in the same access history as the store's; the
  // log is opened once the KMS has proved the root key, so a wrong key is reported as such.
  let ownLog: AuditLog | undefined;
  const audit: AuditSink = options.audit ?? { record: (event) => ownLog?.record(event) };
  try {
    opened = openLocalKms(dir, { rootKey: rootKey.key, region: options.region, audit, now: options.now, busyTimeoutMs: 15_000 });
  } catch (err) {
    throw err instanceof CryptoError ? wrongRootKey(err) : err;
  }
  try {
    if (!options.audit) ownLog = AuditLog.openInDataDir(dir, { rootKey: rootKey.key });
    opened.kms.runDueWork(options.now());
    return use(opened.kms);
  } catch (err) {
    if (err instanceof KmsError) throw new Error(`${err.code}: ${err.message}`, { cause: err });
    if (err instanceof CryptoError) throw wrongRootKey(err);
    throw err;
  } finally {
    opened.close();
    await ownLog?.close();
  }
}
