// A device for end-to-end tests: its own data dir and folder, a vault made through the CLI, and `coffer agent` as a real process.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { runCoffer, runCoffer as runCofferRaw, type CofferRun } from './cofferCli.js';
import { spawnCoffer, type SpawnOptions, type StoreProcess } from './storeProcess.js';

export const AGENT_READY = 'Coffer agent is running. Press Ctrl-C to stop.';
export const PASSPHRASE = 'a long enough test passphrase';

export interface AgentDevice {
  readonly name: string;
  readonly base: string;
  readonly dataDir: string;
  readonly folder: string;
  readonly env: NodeJS.ProcessEnv;
  agent?: StoreProcess;
  /** Runs a `coffer` command with --data-dir appended; throws with its output unless it exits 0. */
  coffer(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CofferRun>;
  start(options?: SpawnOptions): Promise<StoreProcess>;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** The embedded store's endpoint, certificate and credentials, for another device to use as a remote. */
  storeAccess(): { httpsUrl: string; caCertFile: string; accessKeyId: string; secretAccessKey: string };
  /** An AWS SDK client of the embedded store over HTTPS, trusting its certificate (destroyed by close()). */
  s3(): S3Client;
  close(): Promise<void>;
}

/**
 * `config` becomes the agent's config.json; by default the watcher and the remote poll are off, so
 * a test decides when each device syncs (`coffer sync-now`) and the order of events is fixed.
 */
export async function createAgentDevice(name: string, config: Record<string, unknown> = { watch: false, remotePollSeconds: 3600 }): Promise<AgentDevice> {
  const base = mkdtempSync(join(tmpdir(), `coffer-e2e-${name}-`));
  const dataDir = join(base, 'data');
  const folder = join(base, 'folder');
  mkdirSync(dataDir);
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ deviceName: name, ...config }, null, 2));
  const clients: S3Client[] = [];
  const env = { COFFER_PASSPHRASE: PASSPHRASE, COFFER_STORE_ROOT_KEY: undefined, COFFER_ACCESS_KEY: undefined, COFFER_SECRET_KEY: undefined };
  const device: AgentDevice = {
    name,
    base,
    dataDir,
    folder,
    env,
    async coffer(args, extra = {}) {
      const run = await runCoffer([...args, '--data-dir', dataDir], { ...env, ...extra });
      if (run.code !== 0) throw new Error(`coffer ${args.join(' ')} exited ${run.code}: ${run.stderr}${run.stdout}`);
      return run;
    },
    async start(options = {}) {
      device.agent = await spawnCoffer(['agent', '--data-dir', dataDir, '--store-port', '0', '--store-https-port', '0', '--log-level', 'warn'], AGENT_READY, env, options);
      return device.agent;
    },
    async stop(signal = 'SIGINT') {
      await device.agent?.stop(signal);
      device.agent = undefined;
    },
    storeAccess() {
      const https = device.agent!.stdout.find((l) => l.includes('Embedded store:'))!.trim().split(/\s+/).find((w) => w.startsWith('https://'))!;
      const credentials = JSON.parse(readFileSync(join(dataDir, 'store', 'credentials.json'), 'utf8')) as { accessKeyId: string; secretAccessKey: string };
      return { httpsUrl: https, caCertFile: join(dataDir, 'store', 'tls', 'cert.pem'), ...credentials };
    },
    s3() {
      const access = device.storeAccess();
      const client = new S3Client({
        endpoint: access.httpsUrl,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: access.accessKeyId, secretAccessKey: access.secretAccessKey },
        requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: readFileSync(access.caCertFile) }) }),
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.destroy();
      await device.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
  return device;
}

/** The access-history events `coffer audit list --json` returns for a data dir (a store's or an agent's), oldest first. */
export async function auditEvents(dataDir: string, filters: readonly string[]): Promise<{ operation: string; objectKey?: string; principal?: string; details?: Record<string, unknown> }[]> {
  const run = await runCofferRaw(['audit', 'list', '--data-dir', dataDir, '--limit', '1000', '--oldest-first', '--json', ...filters]);
  if (run.code !== 0) throw new Error(`coffer audit list exited ${run.code}: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { events: { event: { operation: string; objectKey?: string; principal?: string; details?: Record<string, unknown> } }[] }).events.map((e) => e.event);
}
