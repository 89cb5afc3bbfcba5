// Two agents (two data dirs, two devices) syncing one folder through one device's embedded store, in each mode.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEvents, createAgentDevice, type AgentDevice } from '../support/agentDevice.js';

let devices: AgentDevice[] = [];
afterEach(async () => {
  for (const d of devices) await d.close();
  devices = [];
});

type Mode = 'sse-s3' | 'sse-kms' | 'sse-c-vault' | 'sse-c-key';

/** Device A hosts the store; device B reaches it as a remote over HTTPS, trusting its certificate. */
async function twoDevices(mode: Mode): Promise<[AgentDevice, AgentDevice]> {
  const a = await createAgentDevice('laptop');
  const b = await createAgentDevice('desktop');
  devices.push(a, b);
  const init = await a.coffer(['vault', 'init', '--json']);
  const { recoveryKey } = JSON.parse(init.stdout) as { recoveryKey: string };
  // The same user on a second machine: the vault comes from the recovery key.
  await b.coffer(['vault', 'recover'], { COFFER_RECOVERY_KEY: recoveryKey });
  const keyArgs: string[] = [];
  if (mode === 'sse-c-key') {
    const keyFile = join(a.base, 'user.key');
    writeFileSync(keyFile, randomBytes(32).toString('base64'));
    writeFileSync(join(b.base, 'user.key'), readFileSync(keyFile));
    keyArgs.push('--sse-c-key-file', 'KEYFILE');
  }
  const withKey = (device: AgentDevice): string[] => keyArgs.map((arg) => (arg === 'KEYFILE' ? join(device.base, 'user.key') : arg));
  await a.coffer(['folder', 'add', a.folder, '--mode', mode, '--bucket', 'shared', ...withKey(a)]);
  await a.start();
  const access = a.storeAccess();
  await b.coffer(
    ['folder', 'add', b.folder, '--mode', mode, '--bucket', 'shared', '--store', access.httpsUrl, '--path-style', '--ca-cert', access.caCertFile, ...withKey(b)],
    { AWS_ACCESS_KEY_ID: access.accessKeyId, AWS_SECRET_ACCESS_KEY: access.secretAccessKey },
  );
  await b.start();
  return [a, b];
}

function keysOf(events: readonly { operation: string; objectKey?: string }[], operation: string): (string | undefined)[] {
  return events.filter((e) => e.operation === operation).map((e) => e.objectKey);
}

async function syncBoth(a: AgentDevice, b: AgentDevice): Promise<void> {
  await a.coffer(['sync-now']);
  await b.coffer(['sync-now']);
  await a.coffer(['sync-now']);
}

function put(device: AgentDevice, path: string, content: string | Buffer): void {
  const file = join(device.folder, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
}

function get(device: AgentDevice, path: string): Buffer {
  return readFileSync(join(device.folder, path));
}

describe.each(['sse-s3', 'sse-kms', 'sse-c-vault', 'sse-c-key'] as const)('two agents, mode %s', (mode) => {
  it('new files, edits on both sides, a conflict, a rename and a deletion with the trash', async () => {
    const [a, b] = await twoDevices(mode);
    const big = randomBytes(3 * 1024 * 1024 + 17);
    put(a, 'docs/readme.txt', 'from the laptop');
    put(a, 'media/big.bin', big);
    await syncBoth(a, b);
    expect(get(b, 'docs/readme.txt').toString()).toBe('from the laptop');
    expect(get(b, 'media/big.bin').equals(big)).toBe(true);

    put(b, 'docs/readme.txt', 'edited on the desktop');
    await syncBoth(a, b);
    expect(get(a, 'docs/readme.txt').toString()).toBe('edited on the desktop');

    put(a, 'docs/readme.txt', 'laptop wins the path');
    put(b, 'docs/readme.txt', 'desktop keeps a copy');
    await a.coffer(['sync-now']);
    await b.coffer(['sync-now']);
    await a.coffer(['sync-now']);
    expect(get(b, 'docs/readme.txt').toString()).toBe('laptop wins the path');
    const conflict = readdirSync(join(a.folder, 'docs')).find((n) => n.includes('(conflict '));
    expect(conflict).toMatch(/on desktop\)\.txt$/);
    expect(get(a, `docs/${conflict}`).toString()).toBe('desktop keeps a copy');

    const status = JSON.parse((await b.coffer(['status', '--json'])).stdout) as { folders: { unresolvedConflicts: number; mode: string; state: string }[] };
    expect(status.folders[0]).toMatchObject({ unresolvedConflicts: 1, mode, state: 'idle' });

    const { renameSync, rmSync } = await import('node:fs');
    renameSync(join(a.folder, 'media/big.bin'), join(a.folder, 'media/renamed.bin'));
    rmSync(join(a.folder, 'docs/readme.txt'));
    await syncBoth(a, b);
    expect(get(b, 'media/renamed.bin').equals(big)).toBe(true);
    expect(existsSync(join(b.folder, 'media/big.bin'))).toBe(false);
    expect(existsSync(join(b.folder, 'docs/readme.txt'))).toBe(false);
    const day = readdirSync(join(b.folder, '.coffer-trash'))[0]!;
    expect(readFileSync(join(b.folder, '.coffer-trash', day, 'docs/readme.txt'), 'utf8')).toBe('laptop wins the path');

    const history = await auditEvents(a.dataDir, ['--category', 'sync']);
    expect(history.filter((e) => e.operation === 'SyncRename').map((e) => e.objectKey)).toEqual(['media/renamed.bin']);
    expect(history.some((e) => e.operation === 'SyncUpload' && e.principal === 'laptop')).toBe(true);
    expect(keysOf(history, 'SyncDeleteRemote')).toEqual(['docs/readme.txt']);
    // Each device's own access history holds what it did: the desktop's downloads, conflict and local deletions.
    const desktop = await auditEvents(b.dataDir, ['--category', 'sync']);
    expect(desktop.every((e) => e.principal === 'desktop')).toBe(true);
    expect(keysOf(desktop, 'SyncConflict')).toEqual(['docs/readme.txt']);
    expect(keysOf(desktop, 'SyncDownload')).toEqual(expect.arrayContaining(['docs/readme.txt', 'media/big.bin', 'media/renamed.bin']));
    expect(keysOf(desktop, 'SyncDeleteLocal')).toEqual(expect.arrayContaining(['docs/readme.txt', 'media/big.bin']));
  });
});
