// sse-c-vault across devices: a device restored from the recovery key alone gets every file back, and key rotations travel.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEvents, createAgentDevice, type AgentDevice } from '../support/agentDevice.js';

let devices: AgentDevice[] = [];
afterEach(async () => {
  for (const d of devices) await d.close();
  devices = [];
});

function put(device: AgentDevice, path: string, content: Buffer | string): void {
  const file = join(device.folder, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
}

function tree(root: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.name === '.coffer-trash') continue;
    if (entry.isDirectory()) Object.assign(out, tree(root, rel));
    else out[rel] = readFileSync(join(root, rel)).toString('base64');
  }
  return out;
}

async function masterKeyIds(device: AgentDevice): Promise<string[]> {
  const status = JSON.parse((await device.coffer(['vault', 'status', '--json'])).stdout) as { masterKeys: { id: string }[] };
  return status.masterKeys.map((k) => k.id).sort();
}

async function joinDevice(name: string, host: AgentDevice, recoveryKey: string): Promise<AgentDevice> {
  const device = await createAgentDevice(name);
  devices.push(device);
  await device.coffer(['vault', 'recover'], { COFFER_RECOVERY_KEY: recoveryKey });
  const access = host.storeAccess();
  await device.coffer(['folder', 'add', device.folder, '--mode', 'sse-c-vault', '--bucket', 'vaulted', '--store', access.httpsUrl, '--path-style', '--ca-cert', access.caCertFile], {
    AWS_ACCESS_KEY_ID: access.accessKeyId,
    AWS_SECRET_ACCESS_KEY: access.secretAccessKey,
  });
  await device.start();
  return device;
}

describe('sse-c-vault on a second device', () => {
  it('a device that lost its vault and index restores every file from the store with the recovery key alone', async () => {
    const a = await createAgentDevice('laptop');
    devices.push(a);
    const { recoveryKey } = JSON.parse((await a.coffer(['vault', 'init', '--json'])).stdout) as { recoveryKey: string };
    await a.coffer(['folder', 'add', a.folder, '--mode', 'sse-c-vault', '--bucket', 'vaulted']);
    put(a, 'tax/2026.pdf', randomBytes(200_000));
    put(a, 'photos/cat.jpg', randomBytes(1_500_000));
    put(a, 'notes.txt', 'remember the milk');
    await a.start();
    await a.coffer(['sync-now']);

    const b = await joinDevice('desktop', a, recoveryKey);
    await b.coffer(['sync-now']);
    expect(tree(b.folder)).toEqual(tree(a.folder));

    // The desktop is wiped: vault, index, folder. Only the recovery key and the store remain.
    await b.close();
    devices = devices.filter((d) => d !== b);
    const c = await joinDevice('new-desktop', a, recoveryKey);
    await c.coffer(['sync-now']);
    expect(tree(c.folder)).toEqual(tree(a.folder));
  });

  it('a rotation on one device reaches the other while it edits; two devices rotating at once keep both versions', async () => {
    const a = await createAgentDevice('laptop');
    devices.push(a);
    const { recoveryKey } = JSON.parse((await a.coffer(['vault', 'init', '--json'])).stdout) as { recoveryKey: string };
    await a.coffer(['folder', 'add', a.folder, '--mode', 'sse-c-vault', '--bucket', 'vaulted']);
    put(a, 'plan.md', 'v1');
    await a.start();
    await a.coffer(['sync-now']);
    const b = await joinDevice('desktop', a, recoveryKey);
    await b.coffer(['sync-now']);

    await a.coffer(['keys', 'rotate']);
    put(b, 'plan.md', 'v2 written on the desktop before it heard of the rotation');
    put(a, 'fresh.md', 'sealed under the new master key');
    await a.coffer(['sync-now']);
    await b.coffer(['sync-now']);
    await a.coffer(['sync-now']);
    expect(readFileSync(join(a.folder, 'plan.md'), 'utf8')).toBe('v2 written on the desktop before it heard of the rotation');
    expect(readFileSync(join(b.folder, 'fresh.md'), 'utf8')).toBe('sealed under the new master key');
    expect(await masterKeyIds(b)).toEqual(await masterKeyIds(a));

    await a.coffer(['keys', 'rotate']);
    await b.coffer(['keys', 'rotate']);
    put(a, 'after-a.md', 'a');
    put(b, 'after-b.md', 'b');
    await a.coffer(['sync-now']);
    await b.coffer(['sync-now']);
    await a.coffer(['sync-now']);
    await b.coffer(['sync-now']);
    const ids = await masterKeyIds(a);
    expect(ids).toHaveLength(4);
    expect(await masterKeyIds(b)).toEqual(ids);
    expect(tree(a.folder)).toEqual(tree(b.folder));
    expect(await auditEvents(a.dataDir, ['--operation', 'RotateVaultMasterKey'])).toHaveLength(2);
  });
});
