// Runs Debian's rclone against the agent's embedded store (configured by environment only), under GNU time for its CPU and peak RSS.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreAccess } from './syncBenchAgent.js';

const GNU_TIME = '/usr/bin/time';
/** The remote's name in rclone's environment configuration (RCLONE_CONFIG_<NAME>_…). */
const REMOTE = 'bench';

/** What one `rclone sync` cost: wall time, and the rclone process's own CPU and peak RSS. */
export interface RcloneRun {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
}

/** The values GNU time -v reports; Error naming the field if one is missing. */
function parseGnuTime(text: string): { cpuSeconds: number; peakRssBytes: number } {
  const field = (label: string): number => {
    const m = new RegExp(`${label}: ([\\d.]+)`).exec(text);
    if (!m) throw new Error(`GNU time reported no "${label}"`);
    return Number(m[1]);
  };
  return { cpuSeconds: field('User time \\(seconds\\)') + field('System time \\(seconds\\)'), peakRssBytes: field('Maximum resident set size \\(kbytes\\)') * 1024 };
}

export class Rclone {
  private running: ChildProcess | undefined;
  private readonly env: NodeJS.ProcessEnv;
  private readonly configFile: string;

  /**
   * `workDir` receives an empty rclone.conf (so nothing from the user's own config applies) and
   * GNU time's reports. Error when rclone or GNU time is missing.
   */
  constructor(
    readonly binary: string,
    private readonly store: StoreAccess,
    private readonly workDir: string,
  ) {
    if (!existsSync(binary)) throw new Error(`rclone not found at ${binary} (set COFFER_BENCH_RCLONE)`);
    if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} (GNU time) is needed for rclone's CPU and peak RSS: apt-get install time`);
    this.configFile = join(workDir, 'rclone.conf');
    writeFileSync(this.configFile, '');
    const env: NodeJS.ProcessEnv = { ...process.env };
    // The AWS SDK inside rclone reads AWS_* too; AWS_CA_BUNDLE in particular makes it refuse --ca-cert.
    for (const name of Object.keys(env)) if (name.startsWith('AWS_') || name.startsWith('RCLONE_')) delete env[name];
    const prefix = `RCLONE_CONFIG_${REMOTE.toUpperCase()}_`;
    this.env = {
      ...env,
      RCLONE_CONFIG: this.configFile,
      [`${prefix}TYPE`]: 's3',
      [`${prefix}PROVIDER`]: 'Other',
      [`${prefix}ENDPOINT`]: store.httpsUrl,
      [`${prefix}REGION`]: store.region,
      [`${prefix}ACCESS_KEY_ID`]: store.accessKeyId,
      [`${prefix}SECRET_ACCESS_KEY`]: store.secretAccessKey,
    };
  }

  /** e.g. "rclone v1.60.1-DEV". */
  version(): string {
    return execFileSync(this.binary, ['version'], { env: this.env, encoding: 'utf8' }).split('\n')[0]!.trim();
  }

  private syncArgs(localDir: string, bucket: string): string[] {
    return ['sync', localDir, `${REMOTE}:${bucket}`, '--ca-cert', this.store.caCertFile, '--s3-server-side-encryption', 'AES256'];
  }

  /** The command line as run (the keys travel in the environment, so it holds no secret). */
  describe(localDir: string, bucket: string): string {
    return [this.binary, ...this.syncArgs(localDir, bucket)].join(' ');
  }

  /** `rclone sync localDir bench:bucket`, timed; Error with rclone's stderr if it exits non-zero. */
  sync(localDir: string, bucket: string): Promise<RcloneRun> {
    const report = join(this.workDir, 'time.txt');
    rmSync(report, { force: true });
    const started = process.hrtime.bigint();
    const child = spawn(GNU_TIME, ['-v', '-o', report, this.binary, ...this.syncArgs(localDir, bucket)], { env: this.env, stdio: ['ignore', 'ignore', 'pipe'] });
    this.running = child;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-4000);
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.running = undefined;
        if (code !== 0) return reject(new Error(`rclone sync exited ${code ?? signal}:\n${stderr}`));
        try {
          resolve({ seconds, ...parseGnuTime(readFileSync(report, 'utf8')) });
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  /** Ends an rclone run in progress (on interruption). */
  kill(): void {
    this.running?.kill('SIGTERM');
  }
}
