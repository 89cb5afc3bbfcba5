// Through a real agent: one folder paused, resumed and removed by its id while another keeps syncing.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentDevice, type AgentDevice } from '../support/agentDevice.js';

let device: AgentDevice | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});

interface Status {
  folders: { id: string; localPath: string; state: string; bucket: string }[];
}

async function keys(d: AgentDevice, bucket: string): Promise<string[]> {
  const out = await d.s3().send(new ListObjectsV2Command({ Bucket: bucket }));
  return (out.Contents ?? []).map((o) => o.Key!).filter((k) => !k.startsWith('.coffer')).sort();
}

async function status(d: AgentDevice): Promise<Status> {
  return JSON.parse((await d.coffer(['status', '--json'])).stdout) as Status;
}

describe('one folder among several, by id', () => {
  it('pauses and resumes only the folder named, and remove leaves its files and objects as they are', async () => {
    device = await createAgentDevice('laptop');
    const second = join(device.base, 'second');
    mkdirSync(second);
    await device.coffer(['vault', 'init']);
    await device.coffer(['folder', 'add', device.folder, '--bucket', 'first-bucket']);
    await device.coffer(['folder', 'add', second, '--bucket', 'second-bucket']);
    await device.start();
    const ids = new Map((await status(device)).folders.map((f) => [f.bucket, f.id]));
    const firstId = ids.get('first-bucket')!;

    await device.coffer(['folder', 'pause', firstId]);
    writeFileSync(join(device.folder, 'waits.txt'), 'paused folder');
    writeFileSync(join(second, 'flows.txt'), 'running folder');
    await device.coffer(['sync-now']);
    expect(await keys(device, 'first-bucket')).toEqual([]);
    expect(await keys(device, 'second-bucket')).toEqual(['flows.txt']);
    expect(Object.fromEntries((await status(device)).folders.map((f) => [f.bucket, f.state]))).toEqual({ 'first-bucket': 'paused', 'second-bucket': 'idle' });

    await device.coffer(['folder', 'resume', firstId]);
    await device.coffer(['sync-now']);
    expect(await keys(device, 'first-bucket')).toEqual(['waits.txt']);

    await device.coffer(['folder', 'remove', firstId]);
    expect((await status(device)).folders.map((f) => f.bucket)).toEqual(['second-bucket']);
    writeFileSync(join(device.folder, 'after-remove.txt'), 'not synced any more');
    await device.coffer(['sync-now']);
    expect(await keys(device, 'first-bucket')).toEqual(['waits.txt']);
    expect(existsSync(join(device.folder, 'waits.txt'))).toBe(true);
    await expect(device.coffer(['folder', 'remove', firstId])).rejects.toThrow(/no folder with id/);
  });
});
