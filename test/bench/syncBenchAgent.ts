// A Coffer agent for the sync benchmark: its own data dir and vault, `coffer agent` as a child process, driven through its control API.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessProbe, REPO_ROOT } from './childServers.js';

const COFFER_BIN = join(REPO_ROOT, 'bin', 'coffer.js');
const READY_LINE = 'Coffer agent is running. Press Ctrl-C to stop.';
const START_TIMEOUT_MS = 60_000;
/** After SIGINT the agent finishes transfers in flight; past this it is killed. */
const STOP_GRACE_MS = 20_000;

/** The keys of the agent's config.json the benchmark sets. */
export interface BenchAgentConfig {
  readonly watch: boolean;
  readonly remotePollSeconds: number;
  readonly transfersPerFolder: number;
  readonly storeThread: boolean;
}

/** How another client (rclone, the benchmark's own S3 client) reaches this agent's embedded store. */
export interface StoreAccess {
  readonly httpsUrl: string;
  readonly region: string;
  readonly caCertFile: string;
  readonly caCertPem: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

interface FolderStatusView {
  id: string;
  state: string;
  reason?: string;
  errors: { path: string; message: string }[];
}

/** The store's region as the agent runs it (the embedded store's default). */
const STORE_REGION = 'us-east-1';

function agentEnv(passphrase: string): NodeJS.ProcessEnv {
  // Store keys from the caller's shell would replace the data dir's own: the benchmark uses the generated ones.
  const env: NodeJS.ProcessEnv = { ...process.env, COFFER_PASSPHRASE: passphrase };
  for (const name of ['COFFER_ACCESS_KEY', 'COFFER_SECRET_KEY', 'COFFER_STORE_ROOT_KEY', 'COFFER_KEY_FILE']) delete env[name];
  return env;
}

/** `coffer vault init` on the data dir; Error with its stderr (never its stdout, which holds the recovery key). */
function initVault(dataDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [COFFER_BIN, 'vault', 'init', '--data-dir', dataDir, '--json'], { env, timeout: 60_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`coffer vault init failed: ${stderr.trim() || err.message}`));
      else resolve();
    });
  });
}

export class BenchAgent {
  readonly probe: ProcessProbe;

  private constructor(
    readonly name: string,
    readonly dataDir: string,
    private readonly child: ChildProcess,
    readonly store: StoreAccess,
    private readonly apiUrl: string,
    private readonly token: string,
  ) {
    this.probe = new ProcessProbe(child.pid!);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /**
   * Makes the data dir (config.json, then a vault) and starts `coffer agent` on ephemeral ports.
   * Resolves once it prints its ready line; Error with its stderr if it exits or stalls first.
   */
  static async start(options: { name: string; dataDir: string; config: BenchAgentConfig; passphrase: string; nodeFlags?: readonly string[] }): Promise<BenchAgent> {
    const { dataDir } = options;
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dataDir, 'config.json'), `${JSON.stringify({ deviceName: `bench-${options.name}`, ...options.config }, null, 2)}\n`);
    const env = agentEnv(options.passphrase);
    await initVault(dataDir, env);
    const args = [...(options.nodeFlags ?? []), COFFER_BIN, 'agent', '--data-dir', dataDir, '--store-port', '0', '--store-https-port', '0', '--log-level', 'warn'];
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = await waitForReady(child, options.name);
    const httpsUrl = lines.find((l) => l.includes('Embedded store:'))?.split(/\s+/).find((w) => w.startsWith('https://'));
    if (!httpsUrl) throw new Error(`agent ${options.name} printed no HTTPS store endpoint`);
    const runtime = JSON.parse(readFileSync(join(dataDir, 'agent.json'), 'utf8')) as { apiUrl: string };
    const token = readFileSync(join(dataDir, 'agent.token'), 'utf8').trim();
    const credentials = JSON.parse(readFileSync(join(dataDir, 'store', 'credentials.json'), 'utf8')) as { accessKeyId: string; secretAccessKey: string };
    const caCertFile = join(dataDir, 'store', 'tls', 'cert.pem');
    const store: StoreAccess = { httpsUrl, region: STORE_REGION, caCertFile, caCertPem: readFileSync(caCertFile, 'utf8'), ...credentials };
    return new BenchAgent(options.name, dataDir, child, store, runtime.apiUrl, token);
  }

  /** Adds a folder syncing to `bucket` (SSE-S3, the default mode) and returns its id; the agent starts its first cycle at once. */
  async addFolder(localPath: string, bucket: string): Promise<string> {
    const status = (await this.call('folders.add', { localPath, bucket })) as FolderStatusView;
    return status.id;
  }

  /** One sync cycle of the folder, resolving when it is done (if a cycle is running, when the one after it is). */
  async syncNow(folderId: string): Promise<void> {
    await this.call('folders.syncNow', { folderId });
  }

  /**
   * Error when the folder's last cycle ended in an error state or skipped files: a timing over
   * skipped work would flatter the engine.
   */
  async expectClean(folderId: string): Promise<void> {
    const status = await this.folderStatus(folderId);
    if (status.state === 'error' || status.errors.length > 0) {
      const first = status.errors[0];
      throw new Error(`folder ${folderId} did not sync cleanly: ${status.reason ?? ''}${first ? ` ${first.path}: ${first.message}` : ''}`);
    }
  }

  async folderStatus(folderId: string): Promise<FolderStatusView> {
    const status = (await this.call('status.get', {})) as { folders: FolderStatusView[] };
    const folder = status.folders.find((f) => f.id === folderId);
    if (!folder) throw new Error(`agent ${this.name} has no folder ${folderId}`);
    return folder;
  }

  async removeFolder(folderId: string): Promise<void> {
    await this.call('folders.remove', { folderId });
  }

  /** SIGINT (the agent drains and exits, writing a CPU profile if asked), SIGKILL after a grace period. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  /** POST /api/<channel> over node:http (no client-side timeout: a 2 GiB cycle may take minutes). */
  private call(channel: string, request: object): Promise<unknown> {
    const body = JSON.stringify(request);
    return new Promise((resolve, reject) => {
      const req = http.request(
        `${this.apiUrl}/api/${channel}`,
        { method: 'POST', headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            try {
              const envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
              if (envelope.ok) resolve(envelope.value);
              else reject(new Error(`${channel}: ${envelope.error?.code}: ${envelope.error?.message}`));
            } catch (err) {
              reject(new Error(`${channel}: unreadable answer (${(err as Error).message})`));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** The child's stdout lines up to its ready line; its stderr tail goes into the error if it exits or stalls. */
function waitForReady(child: ChildProcess, name: string): Promise<string[]> {
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    let partial = '';
    const timer = setTimeout(() => reject(new Error(`agent ${name} was not ready within ${START_TIMEOUT_MS / 1000} s:\n${stderr}`)), START_TIMEOUT_MS);
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`agent ${name} exited (${code}) before it was ready:\n${stderr}`));
    };
    child.once('exit', onExit);
    child.stdout!.on('data', (d: Buffer) => {
      partial += d.toString('utf8');
      const complete = partial.split('\n');
      partial = complete.pop() ?? '';
      lines.push(...complete);
      if (complete.includes(READY_LINE)) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(lines);
      }
    });
  });
}
