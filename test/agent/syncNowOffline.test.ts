// `coffer sync-now` with no agent running: one cycle in the command's own process, through the same vault, store and index.
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentDevice, type AgentDevice } from '../support/agentDevice.js';
import { runCoffer } from '../support/cofferCli.js';

let device: AgentDevice | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});

interface OfflineStatus {
  agentRunning: boolean;
  folders: { id: string; lastSyncAt?: string; pendingUp: number }[];
}

async function storedKeys(d: AgentDevice, bucket: string): Promise<string[]> {
  const listed = await d.s3().send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((o) => o.Key!).sort();
}

describe('coffer sync-now without an agent', () => {
  it('syncs every folder once and exits, leaving nothing running; a later run carries an edit', async () => {
    device = await createAgentDevice('laptop');
    await device.coffer(['vault', 'init']);
    await device.coffer(['folder', 'add', device.folder, '--bucket', 'offline']);
    const big = randomBytes(3 * 1024 * 1024);
    writeFileSync(join(device.folder, 'notes.txt'), 'first words');
    writeFileSync(join(device.folder, 'photo.raw'), big);

    const first = await device.coffer(['sync-now']);
    expect(first.stdout).toContain('Sync done.');
    const status = JSON.parse((await device.coffer(['status', '--json'])).stdout) as OfflineStatus;
    expect(status.agentRunning).toBe(false);
    expect(Date.now() - Date.parse(status.folders[0]!.lastSyncAt!)).toBeLessThan(10 * 60_000);

    writeFileSync(join(device.folder, 'notes.txt'), 'second thoughts');
    await device.coffer(['sync-now', status.folders[0]!.id]);

    // An agent started now finds the objects the two one-shot runs stored.
    await device.start();
    expect(await storedKeys(device, 'offline')).toEqual(['notes.txt', 'photo.raw']);
    const notes = await device.s3().send(new GetObjectCommand({ Bucket: 'offline', Key: 'notes.txt' }));
    expect(await notes.Body!.transformToString()).toBe('second thoughts');
    const photo = await device.s3().send(new GetObjectCommand({ Bucket: 'offline', Key: 'photo.raw' }));
    expect(createHash('sha256').update(await photo.Body!.transformToByteArray()).digest('hex')).toBe(createHash('sha256').update(big).digest('hex'));
  });

  it('fails, naming the reason, when the vault cannot be unlocked or the folder does not exist', async () => {
    device = await createAgentDevice('laptop');
    await device.coffer(['vault', 'init']);
    await device.coffer(['folder', 'add', device.folder, '--mode', 'sse-c-vault', '--bucket', 'locked']);
    writeFileSync(join(device.folder, 'secret.txt'), 'waits for the passphrase');

    const locked = await runCoffer(['sync-now', '--data-dir', device.dataDir], { ...device.env, COFFER_PASSPHRASE: undefined });
    expect(locked.code).not.toBe(0);
    expect(locked.stderr).toMatch(/not everything synced/);
    expect(locked.stderr).toMatch(/locked/i);

    const unknown = await runCoffer(['sync-now', 'no-such-folder', '--data-dir', device.dataDir], device.env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no folder with id no-such-folder');

    // Nothing went up while locked: the store, started now, holds no object.
    await device.start();
    expect(await storedKeys(device, 'locked')).toEqual([]);
  });
});
