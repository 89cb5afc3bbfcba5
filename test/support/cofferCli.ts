// Runs the built `coffer` CLI (bin/coffer.js, as `npm test` builds it first) as a child process, asynchronously.
import { execFile } from 'node:child_process';
import { COFFER_BIN } from './storeProcess.js';

export interface CofferRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Asynchronous on purpose: the store under test may run in this very process and must keep
 * answering while the CLI works on its data dir. `env` is added to this process's environment.
 */
export function runCoffer(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CofferRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [COFFER_BIN, ...args], { env: { ...process.env, ...env }, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The environment that hands the CLI a store's root key (hex), as an operator would with a secret manager. */
export function rootKeyEnv(rootKey: Buffer): NodeJS.ProcessEnv {
  return { COFFER_STORE_ROOT_KEY: rootKey.toString('hex') };
}
