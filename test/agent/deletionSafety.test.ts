// Through a real agent: a mass deletion waits for the user, and a folder whose root vanishes pauses without deleting.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
  folders: { id: string; state: string; reason?: string; pendingDeletions?: number }[];
}

async function liveKeys(d: AgentDevice): Promise<string[]> {
  const out = await d.s3().send(new ListObjectsV2Command({ Bucket: 'safety' }));
  return (out.Contents ?? []).map((o) => o.Key!).filter((k) => !k.startsWith('.coffer'));
}

describe('deletion safety through the agent', () => {
  it('deleting 15 of 20 files stops in waiting-for-user until approve-deletions', async () => {
    device = await createAgentDevice('laptop');
    await device.coffer(['vault', 'init']);
    await device.coffer(['folder', 'add', device.folder, '--bucket', 'safety']);
    for (let i = 0; i < 20; i++) writeFileSync(join(device.folder, `file-${i}.txt`), `content ${i}`);
    await device.start();
    await device.coffer(['sync-now']);
    for (let i = 0; i < 15; i++) rmSync(join(device.folder, `file-${i}.txt`));
    await device.coffer(['sync-now']);
    const waiting = JSON.parse((await device.coffer(['status', '--json'])).stdout) as Status;
    expect(waiting.folders[0]).toMatchObject({ state: 'waiting-for-user', pendingDeletions: 15 });
    expect(await liveKeys(device)).toHaveLength(20);
    const human = (await device.coffer(['status'])).stdout;
    expect(human).toContain('15 deletions need approval');
    await device.coffer(['folder', 'approve-deletions', waiting.folders[0]!.id]);
    await device.coffer(['sync-now']);
    expect(await liveKeys(device)).toHaveLength(5);
    const done = JSON.parse((await device.coffer(['status', '--json'])).stdout) as Status;
    expect(done.folders[0]!.state).toBe('idle');
  });

  it('a folder whose root disappears pauses, keeps every object, and resumes when the root is back', async () => {
    device = await createAgentDevice('laptop');
    await device.coffer(['vault', 'init']);
    await device.coffer(['folder', 'add', device.folder, '--bucket', 'safety']);
    mkdirSync(join(device.folder, 'sub'));
    writeFileSync(join(device.folder, 'sub', 'a.txt'), 'a');
    writeFileSync(join(device.folder, 'b.txt'), 'b');
    await device.start();
    await device.coffer(['sync-now']);
    const unmounted = `${device.folder}-unmounted`;
    renameSync(device.folder, unmounted);
    await device.coffer(['sync-now']);
    const paused = JSON.parse((await device.coffer(['status', '--json'])).stdout) as Status;
    expect(paused.folders[0]).toMatchObject({ state: 'paused', reason: expect.stringMatching(/missing/) });
    expect((await liveKeys(device)).sort()).toEqual(['b.txt', 'sub/a.txt']);
    renameSync(unmounted, device.folder);
    await device.coffer(['sync-now']);
    const back = JSON.parse((await device.coffer(['status', '--json'])).stdout) as Status;
    expect(back.folders[0]!.state).toBe('idle');
    expect(readdirSync(device.folder).sort()).toEqual(['b.txt', 'sub']);
  });

  it('pause and resume from the command line stop and restart syncing', async () => {
    device = await createAgentDevice('laptop');
    await device.coffer(['vault', 'init']);
    await device.coffer(['folder', 'add', device.folder, '--bucket', 'safety']);
    await device.start();
    await device.coffer(['folder', 'pause']);
    writeFileSync(join(device.folder, 'while-paused.txt'), 'waits');
    await device.coffer(['sync-now']);
    expect(await liveKeys(device)).toEqual([]);
    const paused = JSON.parse((await device.coffer(['status', '--json'])).stdout) as Status;
    expect(paused.folders[0]!.state).toBe('paused');
    await device.coffer(['folder', 'resume']);
    await device.coffer(['sync-now']);
    expect(await liveKeys(device)).toEqual(['while-paused.txt']);
  });
});
