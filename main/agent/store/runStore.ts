// Starts the embedded store from command options: keys, credentials, TLS, listeners, and a banner.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { loadOrCreateRootKey } from '../../core/keys/rootKey.js';
import { openStoreServices } from '../../core/store/storeServices.js';
import { startStore, type RunningStore } from '../../core/store/storeServer.js';
import { loadOrCreateCredentials } from './storeCredentials.js';
import type { Credentials } from '../../core/store/auth/credentials.js';
import type { StoreOptions } from '../../core/store/storeOptions.js';
import type { StoreCommandOptions } from './storeCommandOptions.js';
import { loadOrCreateTls, type TlsMaterial } from './tlsCertificate.js';

/** The banner's last line: scripts (and tests) wait for it. */
export const READY_LINE = 'Press Ctrl-C to stop.';

export interface StartedStore {
  running: RunningStore;
  /** The certificate served on HTTPS (clients in this process pin it). */
  tls?: TlsMaterial;
  credentials: Credentials;
  /** Lines for the terminal: endpoints, fingerprint, and the secret only when it was just created. */
  banner: string[];
}

/** What the store's services are opened with, from the command's options: the same for the store that serves and for a second opener of its files. */
export function storeServiceOptions(options: StoreCommandOptions, dataDir: string, rootKey: Buffer, credentials: Credentials): StoreOptions {
  return {
    dataDir,
    region: options.region,
    credentials: [credentials],
    allowInsecureSseC: options.allowInsecureSseC,
    virtualHostDomains: options.virtualHostDomain,
    masterKeyRotationDays: options.masterKeyRotationDays,
    rootKey,
    auditLog: options.audit,
    directIo: options.directIo,
    auditRetentionDays: options.auditRetentionDays,
    blockSseCOnNewBuckets: options.blockSseCOnNewBuckets,
  };
}

export async function runStore(options: StoreCommandOptions, logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<StartedStore> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const rootKey = loadOrCreateRootKey(dataDir, env);
  const { credentials, origin } = loadOrCreateCredentials(dataDir, env);
  const tls = options.https
    ? await loadOrCreateTls({ dataDir, certFile: options.tlsCert, keyFile: options.tlsKey, hostNames: [options.host] })
    : undefined;
  const services = await openStoreServices(storeServiceOptions(options, dataDir, rootKey.key, credentials));
  let running: RunningStore;
  try {
    running = await startStore(
      services,
      { host: options.host, port: options.port, https: tls && { port: options.httpsPort, cert: tls.cert, key: tls.key } },
      logger,
    );
  } catch (err) {
    await services.close();
    throw err;
  }
  const banner = [
    'Coffer store is running.',
    `  HTTP endpoint:   ${running.httpUrl}`,
    ...(running.httpsUrl ? [`  HTTPS endpoint:  ${running.httpsUrl}`] : []),
    ...(tls ? [`  TLS certificate SHA-256 fingerprint: ${tls.fingerprint256}${tls.origin === 'user' ? ' (your certificate)' : ''}`] : []),
    ...(tls && tls.origin !== 'user' ? [`  TLS certificate file: ${resolve(dataDir, 'tls', 'cert.pem')}`] : []),
    `  Region: ${options.region}   Data directory: ${dataDir}`,
    `  Access key: ${credentials.accessKeyId}`,
    ...(origin === 'created'
      ? [`  Secret key: ${credentials.secretAccessKey}`, '  (shown once; it is kept in credentials.json in the data directory, mode 0600)']
      : []),
    ...(rootKey.origin === 'created' ? ['  A new store root key was written to root.key (mode 0600): back it up, SSE-S3 objects cannot be read without it.'] : []),
    ...(options.audit ? [] : ['  WARNING: no access history is kept (--no-audit).']),
    ...(options.allowInsecureSseC ? ['  WARNING: SSE-C is accepted over plain HTTP (--allow-insecure-sse-c); customer keys cross the network in the clear.'] : []),
    READY_LINE,
  ];
  return { running, banner, tls, credentials };
}
