// The download bandwidth limit through real agents: a second device fetching a file is held to its limit, and lifting the limit live lets the transfer finish.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callAgent } from '../../main/agent/control/controlClient.js';
import { createAgentDevice, type AgentDevice } from '../support/agentDevice.js';

let devices: AgentDevice[] = [];
afterEach(async () => {
  for (const d of devices) await d.close();
  devices = [];
});

interface FolderProgress {
  state: string;
  pendingDown: number;
  bytesDone: number;
  bytesTotal: number;
}

interface Sample extends FolderProgress {
  atMs: number;
}

const MIB = 1024 * 1024;
const LIMIT_KIBPS = 1024;

/** The laptop hosts the store; the desktop reaches it over HTTPS with `config` as its own settings. */
async function laptopAndDesktop(desktopConfig: Record<string, unknown>): Promise<[AgentDevice, AgentDevice]> {
  const a = await createAgentDevice('laptop');
  const b = await createAgentDevice('desktop', { watch: false, remotePollSeconds: 3600, ...desktopConfig });
  devices.push(a, b);
  const { recoveryKey } = JSON.parse((await a.coffer(['vault', 'init', '--json'])).stdout) as { recoveryKey: string };
  await b.coffer(['vault', 'recover'], { COFFER_RECOVERY_KEY: recoveryKey });
  await a.coffer(['folder', 'add', a.folder, '--bucket', 'limited']);
  await a.start();
  const access = a.storeAccess();
  await b.coffer(['folder', 'add', b.folder, '--bucket', 'limited', '--store', access.httpsUrl, '--path-style', '--ca-cert', access.caCertFile], {
    AWS_ACCESS_KEY_ID: access.accessKeyId,
    AWS_SECRET_ACCESS_KEY: access.secretAccessKey,
  });
  await b.start();
  return [a, b];
}

/** Samples the device's first folder every 200 ms until `done` is set. */
function sampleStatus(device: AgentDevice, samples: Sample[], stop: { done: boolean }): Promise<void> {
  return (async () => {
    while (!stop.done) {
      const status = JSON.parse((await device.coffer(['status', '--json'])).stdout) as { folders: FolderProgress[] };
      samples.push({ ...status.folders[0]!, atMs: Date.now() });
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
}

function agentApi(device: AgentDevice): { apiUrl: string; token: string } {
  const runtime = JSON.parse(readFileSync(join(device.dataDir, 'agent.json'), 'utf8')) as { apiUrl: string };
  return { apiUrl: runtime.apiUrl, token: readFileSync(join(device.dataDir, 'agent.token'), 'utf8').trim() };
}

describe('the download bandwidth limit', () => {
  it('holds a download to the configured rate, with the progress in the status while it runs', async () => {
    const [a, b] = await laptopAndDesktop({ downloadKiBps: LIMIT_KIBPS });
    const bytes = randomBytes(6 * MIB);
    writeFileSync(join(a.folder, 'film.bin'), bytes);
    await a.coffer(['sync-now']);

    const samples: Sample[] = [];
    const stop = { done: false };
    const watching = sampleStatus(b, samples, stop);
    await b.coffer(['sync-now']).finally(() => {
      stop.done = true;
    });
    await watching;

    expect(readFileSync(join(b.folder, 'film.bin')).equals(bytes)).toBe(true);
    const midway = samples.filter((s) => s.state === 'syncing' && s.pendingDown === 1 && s.bytesTotal === 6 * MIB && s.bytesDone > 0 && s.bytesDone < s.bytesTotal);
    expect(midway.length).toBeGreaterThan(2);
    const done = midway.map((s) => s.bytesDone);
    expect([...done].sort((x, y) => x - y)).toEqual(done);
    // Between two looks the bytes moved never outrun the limit (plus the burst and one throttle slice).
    const first = midway[0]!;
    const last = midway.at(-1)!;
    const allowed = (LIMIT_KIBPS * 1024 * (last.atMs - first.atMs)) / 1000 + LIMIT_KIBPS * 1024 + 64 * 1024;
    expect(last.bytesDone - first.bytesDone).toBeLessThanOrEqual(allowed);
  });

  it('is lifted live through the settings: a crawling download then finishes at once', async () => {
    // 16 KiB/s: 6 MiB would take over six minutes, far longer than this test waits.
    const [a, b] = await laptopAndDesktop({ downloadKiBps: 16 });
    const bytes = randomBytes(6 * MIB);
    writeFileSync(join(a.folder, 'slow.bin'), bytes);
    await a.coffer(['sync-now']);

    const samples: Sample[] = [];
    const stop = { done: false };
    const watching = sampleStatus(b, samples, stop);
    const run = b.coffer(['sync-now']).finally(() => {
      stop.done = true;
    });
    await expect.poll(() => samples.some((s) => s.pendingDown === 1 && s.bytesDone > 0), { timeout: 30_000 }).toBe(true);
    expect(samples.every((s) => s.bytesDone < 6 * MIB)).toBe(true);

    await callAgent(agentApi(b), 'settings.set', { downloadKiBps: 0 });
    await run;
    await watching;
    expect(readFileSync(join(b.folder, 'slow.bin')).equals(bytes)).toBe(true);
  });
});
