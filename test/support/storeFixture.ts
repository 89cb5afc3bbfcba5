// Starts a real embedded store (HTTP and HTTPS on ephemeral loopback ports, a real data dir) for a test file.
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createLogger } from '../../main/agent/logger.js';
import { createSelfSigned } from '../../main/agent/store/selfSignedCertificate.js';
import { openStoreServices } from '../../main/core/store/storeServices.js';
import { startStore, type RunningStore } from '../../main/core/store/storeServer.js';
import type { StoreOptions } from '../../main/core/store/storeOptions.js';

export const TEST_CREDENTIALS = { accessKeyId: 'COFFERTESTKEY0000001', secretAccessKey: 'coffer-test-secret-key-0123456789abcdef' };

export interface StoreFixture {
  store: RunningStore;
  dataDir: string;
  /** PEM of the store's self-signed certificate, to trust in HTTPS clients. */
  caCert: string;
  httpUrl: string;
  httpsUrl: string;
  http: S3Client;
  https: S3Client;
  client(overrides?: Partial<S3ClientConfig> & { secure?: boolean }): S3Client;
  close(): Promise<void>;
}

let certCache: Promise<{ cert: string; key: string }> | undefined;

export async function startStoreFixture(options: Partial<StoreOptions> = {}): Promise<StoreFixture> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'coffer-store-'));
  certCache ??= createSelfSigned([]);
  const tls = await certCache;
  const services = await openStoreServices({
    dataDir,
    region: 'us-east-1',
    credentials: [TEST_CREDENTIALS],
    allowInsecureSseC: false,
    virtualHostDomains: ['s3.localhost', 'localhost'],
    masterKeyRotationDays: 90,
    rootKey: Buffer.alloc(32, 7),
    ...options,
  });
  const store = await startStore(services, { host: '127.0.0.1', port: 0, https: { port: 0, cert: tls.cert, key: tls.key } }, createLogger('silent'));
  const agent = new https.Agent({ ca: tls.cert, keepAlive: true });
  const clients: S3Client[] = [];
  const client = (overrides: Partial<S3ClientConfig> & { secure?: boolean } = {}): S3Client => {
    const { secure = false, ...config } = overrides;
    const c = new S3Client({
      endpoint: secure ? store.httpsUrl : store.httpUrl,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: TEST_CREDENTIALS,
      requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
      ...config,
    });
    clients.push(c);
    return c;
  };
  return {
    store,
    dataDir,
    caCert: tls.cert,
    httpUrl: store.httpUrl,
    httpsUrl: store.httpsUrl!,
    http: client(),
    https: client({ secure: true }),
    client,
    async close() {
      for (const c of clients) c.destroy();
      agent.destroy();
      await store.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
