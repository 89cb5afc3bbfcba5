// config.json: defaults when absent, and a bad file names its line and the reason instead of starting.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadAgentConfig, parseAgentConfig } from '../../main/agent/runtime/agentConfig.js';
import { runCoffer } from '../support/cofferCli.js';

describe('the agent config file', () => {
  it('gives the defaults when there is no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-config-'));
    try {
      expect(loadAgentConfig(dir)).toMatchObject({ storePort: 9000, storeHttpsPort: 9443, apiPort: 0, remotePollSeconds: 15, quietMs: 300, transfersPerFolder: 4, watch: true, uploadKiBps: 0 });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it.each([
    ['{\n  "storePort": 9000,\n  "quietMs": "fast"\n}', /config\.json line 3: quietMs: /],
    ['{\n  "watch": true,\n  "colour": "blue"\n}', /config\.json line 3: colour: Unrecognized key/],
    ['{\n  "watch": true,\n  "storePort": 70000\n}', /line 3: storePort: /],
    ['{\n  "watch": true,\n  "storePort": 9000,,\n}', /config\.json line 3: not valid JSON/],
  ])('refuses %j with the line and the reason', (text, message) => {
    expect(() => parseAgentConfig(text)).toThrow(ConfigError);
    expect(() => parseAgentConfig(text)).toThrow(message);
  });

  it('stops `coffer agent` before anything starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-config-'));
    try {
      writeFileSync(join(dir, 'config.json'), '{\n  "remotePollSeconds": -1\n}\n');
      const run = await runCoffer(['agent', '--data-dir', dir, '--store-port', '0', '--store-https-port', '0']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/config\.json line 2: remotePollSeconds: /);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
