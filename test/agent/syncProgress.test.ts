// Progress of a long upload through a real agent: in `coffer status --json` while it runs, and on the terminal of `coffer sync-now`.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentDevice, type AgentDevice } from '../support/agentDevice.js';

let device: AgentDevice | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});

interface FolderProgress {
  state: string;
  pendingUp: number;
  bytesDone: number;
  bytesTotal: number;
}

const MIB = 1024 * 1024;

describe('progress of a long sync', () => {
  it('the status counts bytes while the upload runs, and sync-now prints progress lines until it is done', async () => {
    // 2 MiB/s up: a 16 MiB file takes about 8 s, long enough for several looks and two progress lines.
    device = await createAgentDevice('laptop', { watch: false, remotePollSeconds: 3600, uploadKiBps: 2048 });
    await device.coffer(['vault', 'init']);
    await device.coffer(['folder', 'add', device.folder, '--bucket', 'progress']);
    await device.start();
    writeFileSync(join(device.folder, 'video.bin'), randomBytes(16 * MIB));

    const seen: FolderProgress[] = [];
    let done = false;
    const watching = (async () => {
      while (!done) {
        const status = JSON.parse((await device!.coffer(['status', '--json'])).stdout) as { folders: FolderProgress[] };
        seen.push(status.folders[0]!);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const run = await device.coffer(['sync-now']).finally(() => {
      done = true;
    });
    await watching;

    const midway = seen.filter((f) => f.state === 'syncing' && f.bytesTotal === 16 * MIB && f.bytesDone > 0 && f.bytesDone < f.bytesTotal);
    expect(midway.length).toBeGreaterThan(0);
    expect(midway.every((f) => f.pendingUp === 1)).toBe(true);
    const doneBytes = midway.map((f) => f.bytesDone);
    expect([...doneBytes].sort((x, y) => x - y)).toEqual(doneBytes);
    const lines = run.stdout.split('\n').filter((l) => l.includes(': syncing,'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/: syncing, [\d.]+ [KM]iB of 16(\.0)? MiB \(\d+%\) at [\d.]+ [KM]iB\/s, 1 up and 0 down to go$/);
    const after = JSON.parse((await device.coffer(['status', '--json'])).stdout) as { folders: FolderProgress[] };
    expect(after.folders[0]).toMatchObject({ state: 'idle', pendingUp: 0 });
  });
});
