// `coffer` run as an executable (as `coffer store` is) starts Node with the long-running V8 flags.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONG_RUNNING_NODE_FLAGS } from '../../main/agent/runtime/longRunningFlags.js';
import { COFFER_BIN } from '../support/storeProcess.js';

describe('long-running process flags', () => {
  it('are the ones the first line of bin/coffer.js passes to node', () => {
    const first = readFileSync(COFFER_BIN, 'utf8').split('\n')[0];
    expect(first).toBe(`#!/usr/bin/env -S node ${LONG_RUNNING_NODE_FLAGS.join(' ')}`);
  });

  it('reach a store started by running bin/coffer.js itself, whose young generation is then small', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'coffer-flags-'));
    // Reports the running process's own command line and new-space size, then exits.
    const probe = `process.on('exit', () => {
      const ns = require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      process.stdout.write('PROBE ' + JSON.stringify({ execArgv: process.execArgv, newSpace: ns.space_size }) + '\\n');
    });`;
    writeFileSync(join(dataDir, 'probe.cjs'), probe);
    const child = spawn(COFFER_BIN, ['store', '--data-dir', dataDir, '--port', '0', '--https-port', '0'], {
      env: { ...process.env, NODE_OPTIONS: `--require ${join(dataDir, 'probe.cjs')}`, COFFER_ACCESS_KEY: 'AKIDFLAGSTEST0000001', COFFER_SECRET_KEY: 'flags-test-secret-0123456789' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    try {
      await new Promise<void>((ready, fail) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('Press Ctrl-C to stop.')) ready();
        });
        child.once('exit', (code) => fail(new Error(`coffer store exited ${code}: ${out}`)));
      });
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
      const report = JSON.parse(/PROBE (.*)/.exec(out)![1]!) as { execArgv: string[]; newSpace: number };
      expect(report.execArgv).toEqual(expect.arrayContaining([...LONG_RUNNING_NODE_FLAGS]));
      // Two 2 MiB semi-spaces at most; with V8's default a store's first start (certificate and all) grows it to 32 MiB.
      expect(report.newSpace).toBeLessThanOrEqual(4 * 1024 * 1024);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
