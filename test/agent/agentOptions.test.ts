// `coffer agent --api-port` and `coffer folder add --remember-key`, through real agent processes.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_READY, createAgentDevice, type AgentDevice } from '../support/agentDevice.js';
import { spawnCoffer } from '../support/storeProcess.js';

let device: AgentDevice | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('agent and folder options', () => {
  it('--api-port puts the control API on that port, where the CLI finds it', async () => {
    device = await createAgentDevice('laptop');
    await device.coffer(['vault', 'init']);
    const port = await freePort();
    device.agent = await spawnCoffer(
      ['agent', '--data-dir', device.dataDir, '--store-port', '0', '--store-https-port', '0', '--api-port', String(port), '--log-level', 'warn'],
      AGENT_READY,
      device.env,
    );
    const runtime = JSON.parse(readFileSync(join(device.dataDir, 'agent.json'), 'utf8')) as { apiUrl: string };
    expect(new URL(runtime.apiUrl).port).toBe(String(port));
    const status = JSON.parse((await device.coffer(['status', '--json'])).stdout) as { agentRunning: boolean };
    expect(status.agentRunning).toBe(true);
  });

  it('--remember-key keeps an sse-c-key folder\'s key in the vault: it syncs after the key file is gone', async () => {
    device = await createAgentDevice('laptop');
    await device.coffer(['vault', 'init']);
    const keyFile = join(device.base, 'user.key');
    const key = randomBytes(32);
    writeFileSync(keyFile, key.toString('base64'), { mode: 0o600 });
    await device.coffer(['folder', 'add', device.folder, '--bucket', 'own-key', '--mode', 'sse-c-key', '--sse-c-key-file', keyFile, '--remember-key']);
    rmSync(keyFile);
    await device.start();
    writeFileSync(join(device.folder, 'secret.txt'), 'under my own key');
    await device.coffer(['sync-now']);
    const status = JSON.parse((await device.coffer(['status', '--json'])).stdout) as { folders: { state: string; errors: unknown[] }[] };
    expect(status.folders[0]).toMatchObject({ state: 'idle', errors: [] });
    const sseC = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.toString('base64') };
    const head = await device.s3().send(new HeadObjectCommand({ Bucket: 'own-key', Key: 'secret.txt', ...sseC }));
    expect(head.SSECustomerAlgorithm).toBe('AES256');
  });
});
