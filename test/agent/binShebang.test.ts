// `coffer` run as a program, as a shell runs it: the kernel reads the first line, `env -S` splits it,
// and node starts with the heap flags written there.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { shippedNodeFlags } from '../support/shippedNodeFlags.js';
import { COFFER_BIN } from '../support/storeProcess.js';

const CREDENTIALS = { accessKeyId: 'SHEBANGTESTKEY000001', secretAccessKey: 'shebang-test-secret-key-0000000000000001' };
let dataDir: string | undefined;
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  child = undefined;
  dataDir = undefined;
});

/** Resolves with the HTTP endpoint once the store prints its ready line; rejects with its stderr if it exits first. */
function readyEndpoint(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const endpoint = /HTTP endpoint:\s*(\S+)/.exec(out)?.[1];
      if (endpoint && out.includes('Press Ctrl-C to stop.')) resolve(endpoint);
    });
    proc.once('exit', (code) => reject(new Error(`coffer store exited (${code}) before it was ready: ${err}`)));
  });
}

describe('bin/coffer.js as a program', () => {
  it.runIf(process.platform === 'linux')('starts node with the flags of its first line, and the store serves', async () => {
    const flags = shippedNodeFlags(COFFER_BIN);
    expect(flags).toContain('--max-semi-space-size=4');
    dataDir = mkdtempSync(join(tmpdir(), 'coffer-shebang-'));
    child = spawn(COFFER_BIN, ['store', '--data-dir', dataDir, '--port', '0', '--https-port', '0'], {
      env: { ...process.env, COFFER_ACCESS_KEY: CREDENTIALS.accessKeyId, COFFER_SECRET_KEY: CREDENTIALS.secretAccessKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const endpoint = await readyEndpoint(child);

    // env replaced itself with node, so the pid is node's and its command line is the one the shebang built.
    const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
    const binAt = argv.indexOf(COFFER_BIN);
    expect(binAt).toBeGreaterThan(0);
    expect(argv.slice(1, binAt)).toEqual(flags);
    expect(argv.slice(binAt + 1, binAt + 2)).toEqual(['store']);

    const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS });
    try {
      const listed = await client.send(new ListBucketsCommand({}));
      expect(listed.Buckets ?? []).toEqual([]);
    } finally {
      client.destroy();
    }
  });
});
