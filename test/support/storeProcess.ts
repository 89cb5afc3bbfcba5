// Runs `coffer store` as a real child process (the built CLI) and reads its banner.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const COFFER_BIN = join(REPO_ROOT, 'bin', 'coffer.js');

export interface StoreProcess {
  child: ChildProcess;
  httpUrl: string;
  httpsUrl: string | undefined;
  /** Every line printed to stdout so far. */
  stdout: string[];
  stderr: () => string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Starts the store and resolves once it prints its endpoints; rejects if it exits first. */
export async function spawnStore(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<StoreProcess> {
  const child = spawn(process.execPath, [COFFER_BIN, 'store', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  const ready = new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      stdout.push(...lines);
      if (lines.includes('Press Ctrl-C to stop.')) resolve();
    });
    void exited.then((code) => reject(new Error(`coffer store exited (${code}) before it was ready: ${stderr}`)));
  });
  await ready;
  const endpoint = (label: string): string | undefined => stdout.find((l) => l.includes(label))?.split(label)[1]?.trim();
  return {
    child,
    httpUrl: endpoint('HTTP endpoint:')!,
    httpsUrl: endpoint('HTTPS endpoint:'),
    stdout,
    stderr: () => stderr,
    exited,
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
