// An agent that hits the OS limit on watches says so in its status, with the reason, and keeps syncing by polling.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentDevice, type AgentDevice } from '../support/agentDevice.js';

// The limit is per user namespace, so the agent runs in one of its own and this machine's limit is untouched
// (as in test/core/sync/watch/watchLimit.test.ts; skipped where unprivileged user namespaces are refused).
const WATCH_LIMIT = 8;
const limitWatches = `echo ${WATCH_LIMIT} > /proc/sys/user/max_inotify_watches && exec "$0" "$@"`;
const canLimitWatches = process.platform === 'linux' && spawnSync('unshare', ['-Ur', 'sh', '-c', limitWatches, 'true']).status === 0;

let device: AgentDevice | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});

interface Status {
  folders: { watchMode: string; watchReason?: string; state: string }[];
}

async function keys(d: AgentDevice): Promise<string[]> {
  const out = await d.s3().send(new ListObjectsV2Command({ Bucket: 'watched' }));
  return (out.Contents ?? []).map((o) => o.Key!).filter((k) => !k.startsWith('.coffer')).sort();
}

describe.skipIf(!canLimitWatches)('the watch limit through the agent', () => {
  it('status shows polling with the reason; coffer status prints it; a new file still syncs without sync-now', async () => {
    device = await createAgentDevice('laptop', { watch: true, remotePollSeconds: 3600, quietMs: 200 });
    for (let i = 0; i < WATCH_LIMIT * 3; i++) mkdirSync(join(device.folder, `d${i}`), { recursive: true });
    await device.coffer(['vault', 'init']);
    await device.coffer(['folder', 'add', device.folder, '--bucket', 'watched']);
    await device.start({ launcher: ['unshare', '-Ur', 'sh', '-c', limitWatches] });

    const until = Date.now() + 30_000;
    let folder: Status['folders'][number] | undefined;
    while (Date.now() < until) {
      folder = (JSON.parse((await device.coffer(['status', '--json'])).stdout) as Status).folders[0];
      if (folder?.watchMode === 'polling') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(folder).toMatchObject({ watchMode: 'polling', watchReason: expect.stringMatching(/limit on watched folders.*max_user_watches/) });
    expect((await device.coffer(['status'])).stdout).toMatch(/watching by polling: The system's limit on watched folders was reached/);

    writeFileSync(join(device.folder, `d${WATCH_LIMIT * 3 - 1}`, 'late.txt'), 'found by polling');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(await keys(device)).includes(`d${WATCH_LIMIT * 3 - 1}/late.txt`)) await new Promise((r) => setTimeout(r, 250));
    expect(await keys(device)).toContain(`d${WATCH_LIMIT * 3 - 1}/late.txt`);
  });
});
