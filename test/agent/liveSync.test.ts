// With the watcher and the remote poll on, files flow between two agents without any command.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentDevice, type AgentDevice } from '../support/agentDevice.js';

let devices: AgentDevice[] = [];
afterEach(async () => {
  for (const d of devices) await d.close();
  devices = [];
});

/** What both devices say about themselves, for a failure message: their status and their agents' logs. */
async function diagnosis(): Promise<string> {
  const parts: string[] = [];
  for (const d of devices) {
    const status = await d.coffer(['status', '--json']).then((r) => r.stdout, (err: unknown) => String(err));
    parts.push(`--- ${d.name} status: ${status}\n--- ${d.name} agent log: ${d.agent?.stderr().slice(-4000) ?? '(not running)'}`);
  }
  return parts.join('\n');
}

async function eventually(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting until ${what}\n${await diagnosis()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('live sync', () => {
  it('a write on one device appears on the other through the watcher and the remote poll; a delete follows', async () => {
    const live = { watch: true, remotePollSeconds: 1, quietMs: 200 };
    const a = await createAgentDevice('laptop', live);
    const b = await createAgentDevice('desktop', live);
    devices.push(a, b);
    await a.coffer(['vault', 'init']);
    await b.coffer(['vault', 'init']);
    await a.coffer(['folder', 'add', a.folder, '--bucket', 'live']);
    await a.start();
    const access = a.storeAccess();
    await b.coffer(['folder', 'add', b.folder, '--bucket', 'live', '--store', access.httpsUrl, '--path-style', '--ca-cert', access.caCertFile], {
      AWS_ACCESS_KEY_ID: access.accessKeyId,
      AWS_SECRET_ACCESS_KEY: access.secretAccessKey,
    });
    await b.start();

    writeFileSync(join(a.folder, 'hello.txt'), 'written while both agents run');
    await eventually('hello.txt reaches the desktop', () => existsSync(join(b.folder, 'hello.txt')) && readFileSync(join(b.folder, 'hello.txt'), 'utf8') === 'written while both agents run');
    writeFileSync(join(b.folder, 'hello.txt'), 'and edited back');
    await eventually('the edit reaches the laptop', () => readFileSync(join(a.folder, 'hello.txt'), 'utf8') === 'and edited back');
    const { rmSync } = await import('node:fs');
    rmSync(join(a.folder, 'hello.txt'));
    await eventually('the deletion reaches the desktop', () => !existsSync(join(b.folder, 'hello.txt')));
    const status = JSON.parse((await a.coffer(['status', '--json'])).stdout) as { folders: { watchMode: string }[] };
    expect(status.folders[0]!.watchMode).toBe('native');
  });
});
