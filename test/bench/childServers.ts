// The servers under test, each started as its own child process so its memory and CPU are its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (this file runs from dist/test/bench/). */
export const REPO_ROOT = resolve(here, '..', '..', '..');

const CLOCK_TICKS_PER_SECOND = 100;

export interface ChildServer {
  readonly name: string;
  readonly pid: number;
  /** Lines the child printed on stdout, up to the point it was ready. */
  readonly banner: string[];
  stop(): Promise<void>;
}

/**
 * Starts `args` with node and waits until `ready` finds what it needs in the child's stdout
 * (it returns undefined until then). Stderr is kept for the error message if the child dies.
 */
async function startChild<T>(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: (lines: string[]) => T | undefined,
  nodeFlags: string[] = [],
): Promise<{ child: ChildServer; found: T }> {
  const proc = spawn(process.execPath, [...nodeFlags, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-4000);
  });
  const found = await new Promise<T>((resolveFound, reject) => {
    let partial = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s:\n${stderr}`)), 30_000);
    const onData = (d: Buffer): void => {
      partial += d.toString('utf8');
      const complete = partial.split('\n');
      partial = complete.pop() ?? '';
      lines.push(...complete);
      const result = ready(lines);
      if (result !== undefined) {
        clearTimeout(timer);
        proc.stdout!.off('data', onData);
        proc.stdout!.resume();
        resolveFound(result);
      }
    };
    proc.stdout!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready:\n${stderr}`));
    });
  });
  return { child: { name, pid: proc.pid!, banner: lines, stop: () => stopChild(proc) }, found };
}

/** SIGINT first (the store drains and exits cleanly, writing a CPU profile if asked); SIGKILL after 15 s. */
async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGINT');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function lineValue(lines: string[], label: string): string | undefined {
  for (const line of lines) {
    const at = line.indexOf(label);
    if (at >= 0) return line.slice(at + label.length).trim();
  }
  return undefined;
}

export interface CofferChild extends ChildServer {
  httpUrl: string;
  httpsUrl: string;
  /** The store's self-signed certificate (PEM), for the client to trust. */
  caCert: string;
  certFile: string;
  keyFile: string;
}

/** `node bin/coffer.js store` on ephemeral ports, with fixed credentials. */
export async function startCoffer(
  dataDir: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  nodeFlags: string[],
  storeArgs: string[] = [],
): Promise<CofferChild> {
  const env = { ...process.env, COFFER_ACCESS_KEY: credentials.accessKeyId, COFFER_SECRET_KEY: credentials.secretAccessKey };
  const args = [join(REPO_ROOT, 'bin', 'coffer.js'), 'store', '--data-dir', dataDir, '--port', '0', '--https-port', '0', '--log-level', 'warn', ...storeArgs];
  const { child, found } = await startChild('coffer store', args, env, (lines) => {
    const httpUrl = lineValue(lines, 'HTTP endpoint:');
    const httpsUrl = lineValue(lines, 'HTTPS endpoint:');
    const keyLine = lineValue(lines, 'Access key:');
    return httpUrl && httpsUrl && keyLine ? { httpUrl, httpsUrl } : undefined;
  }, nodeFlags);
  const certFile = join(dataDir, 'tls', 'cert.pem');
  return { ...child, ...found, caCert: readFileSync(certFile, 'utf8'), certFile, keyFile: join(dataDir, 'tls', 'key.pem') };
}

/** s3rver's own CLI (plain HTTP, its filesystem store, silent). Its credentials are fixed: S3RVER / S3RVER. */
export async function startS3rver(dataDir: string): Promise<ChildServer & { url: string }> {
  const require = createRequire(import.meta.url);
  const bin = join(dirname(require.resolve('s3rver/package.json')), 'bin', 's3rver.js');
  const { child, found } = await startChild('s3rver', [bin, '-d', dataDir, '-a', '127.0.0.1', '-p', '0', '--silent'], process.env, (lines) => {
    for (const line of lines) {
      const m = /listening on ([\d.]+):(\d+)/.exec(line);
      if (m) return `http://${m[1]}:${m[2]}`;
    }
    return undefined;
  });
  return { ...child, url: found };
}

/** The trivial loopback server (baselineServer.js) on HTTP and HTTPS, using the given certificate. */
export async function startBaseline(certFile: string, keyFile: string): Promise<ChildServer & { httpUrl: string; httpsUrl: string }> {
  const { child, found } = await startChild('baseline', [join(here, 'baselineServer.js'), certFile, keyFile], process.env, (lines) => {
    const httpUrl = lineValue(lines, 'baseline http:');
    const httpsUrl = lineValue(lines, 'baseline https:');
    return httpUrl && httpsUrl ? { httpUrl, httpsUrl } : undefined;
  });
  return { ...child, ...found };
}

/** Peak resident memory and CPU time of another process, read from /proc. */
export class ProcessProbe {
  private polledPeakKiB = 0;
  private timer: NodeJS.Timeout | undefined;
  private hwmReset = false;

  constructor(readonly pid: number) {}

  private status(field: 'VmHWM' | 'VmRSS'): number {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  }

  /** Starts a peak window: resets the kernel's high-water mark (VmHWM) and also polls VmRSS every 10 ms. */
  startPeak(): void {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      this.hwmReset = true;
    } catch {
      this.hwmReset = false;
    }
    this.polledPeakKiB = this.status('VmRSS');
    this.timer = setInterval(() => {
      this.polledPeakKiB = Math.max(this.polledPeakKiB, this.status('VmRSS'));
    }, 10);
  }

  /** Peak RSS in bytes since startPeak(). */
  endPeak(): number {
    clearInterval(this.timer);
    const polled = Math.max(this.polledPeakKiB, this.status('VmRSS'));
    const peak = this.hwmReset ? Math.max(polled, this.status('VmHWM')) : polled;
    return peak * 1024;
  }

  /** Resident memory right now, in bytes. */
  rssNow(): number {
    return this.status('VmRSS') * 1024;
  }

  /** User + system CPU seconds used so far. */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  }
}
