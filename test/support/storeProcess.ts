// Runs `coffer store` as a real child process (the built CLI, as `npm test` builds it first) and reads its banner.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const COFFER_BIN = join(REPO_ROOT, 'bin', 'coffer.js');
const READY_LINE = 'Press Ctrl-C to stop.';

export interface StoreProcess {
  child: ChildProcess;
  httpUrl: string;
  httpsUrl: string | undefined;
  /** The self-signed certificate file and fingerprint the banner names (HTTPS only). */
  certFile: string | undefined;
  fingerprint: string | undefined;
  /** Every line printed to stdout so far. */
  stdout: string[];
  /** stdout and stderr so far, as one text. */
  output(): string;
  stderr: () => string;
  /** The spawned process (the launcher's, when one is used). */
  pid: number;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  /** Sends the signal (Ctrl-C by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export interface SpawnOptions {
  /** false: the child sees only `env` (clients' sandboxes pass a from-scratch environment). */
  inheritEnv?: boolean;
  /** A command line that runs node (given as its trailing arguments), e.g. unshare for a namespace of its own. */
  launcher?: readonly string[];
}

/** Starts the store and resolves once it prints its ready line; rejects if it exits first. */
export function spawnStore(args: readonly string[], env: NodeJS.ProcessEnv = {}, options: SpawnOptions = {}): Promise<StoreProcess> {
  return spawnCoffer(['store', ...args], READY_LINE, env, options);
}

/** Starts a long-running `coffer` command and resolves once it prints `readyLine`; rejects if it exits first. */
export async function spawnCoffer(args: readonly string[], readyLine: string, env: NodeJS.ProcessEnv = {}, options: SpawnOptions = {}): Promise<StoreProcess> {
  const [command, ...prefix] = options.launcher ?? [process.execPath];
  const nodeArgs = options.launcher ? [process.execPath, COFFER_BIN, ...args] : [COFFER_BIN, ...args];
  const child = spawn(command!, [...prefix, ...nodeArgs], {
    env: options.inheritEnv === false ? env : { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  let all = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    all += d.toString();
  });
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  const ready = new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      all += d.toString();
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      stdout.push(...lines);
      if (lines.includes(readyLine)) resolve();
    });
    void exited.then((code) => reject(new Error(`coffer ${args[0]} exited (${code}) before it was ready: ${stderr}`)));
  });
  await ready;
  const field = (label: string): string | undefined => stdout.find((l) => l.includes(label))?.split(label)[1]?.trim().split(' ')[0];
  return {
    child,
    httpUrl: field('HTTP endpoint:')!,
    httpsUrl: field('HTTPS endpoint:'),
    certFile: field('TLS certificate file:'),
    fingerprint: field('TLS certificate SHA-256 fingerprint:'),
    stdout,
    output: () => all,
    stderr: () => stderr,
    pid: child.pid!,
    exited,
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
