// What `coffer folder …` refuses, with and without a running agent: SSE-C over plain HTTP, and folder ids that do not exist.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentDevice, type AgentDevice } from '../support/agentDevice.js';
import { runCoffer, type CofferRun } from '../support/cofferCli.js';
import { expectS3Error } from '../support/s3Expect.js';
import { fileKeys, folderOf, statusJson } from '../support/statusSamples.js';

const INSECURE_SSE_C = 'coffer: SSE-C sends the key with every request: it needs an https:// store';

let devices: AgentDevice[] = [];
afterEach(async () => {
  for (const d of devices) await d.close();
  devices = [];
});

async function newDevice(name: string): Promise<AgentDevice> {
  const d = await createAgentDevice(name);
  devices.push(d);
  await d.coffer(['vault', 'init']);
  return d;
}

/** `coffer ARGS --data-dir` of the device, whatever its exit code. */
function attempt(d: AgentDevice, args: readonly string[]): Promise<CofferRun> {
  return runCoffer([...args, '--data-dir', d.dataDir], d.env);
}

/** A running device whose embedded store serves as another device's remote: its plain-HTTP and HTTPS addresses and credentials. */
async function remoteHost(): Promise<{ host: AgentDevice; httpUrl: string; access: ReturnType<AgentDevice['storeAccess']> }> {
  const host = await newDevice('host');
  await host.start();
  const banner = host.agent!.stdout.find((l) => l.includes('Embedded store:'))!;
  const httpUrl = banner.trim().split(/\s+/).find((w) => w.startsWith('http://'))!;
  return { host, httpUrl, access: host.storeAccess() };
}

function remoteArgs(access: ReturnType<AgentDevice['storeAccess']>): string[] {
  return ['--path-style', '--ca-cert', access.caCertFile, '--access-key', access.accessKeyId, '--secret-key', access.secretAccessKey, '--bucket', 'shared'];
}

async function folderIds(d: AgentDevice): Promise<string[]> {
  return (JSON.parse((await d.coffer(['folder', 'list', '--json'])).stdout) as { id: string }[]).map((f) => f.id);
}

describe('SSE-C over plain HTTP', () => {
  it('folder add in an SSE-C mode with an http:// store is refused, agent or not, and nothing is recorded; with https:// it is accepted and syncs', async () => {
    const { host, httpUrl, access } = await remoteHost();
    const laptop = await newDevice('laptop');
    const keyFile = join(laptop.base, 'folder.key');
    writeFileSync(keyFile, 'ab'.repeat(32));
    const sseCModes = [['--mode', 'sse-c-vault'], ['--mode', 'sse-c-key', '--sse-c-key-file', keyFile]];

    for (const agentRuns of [false, true]) {
      if (agentRuns) await laptop.start();
      for (const mode of sseCModes) {
        const run = await attempt(laptop, ['folder', 'add', laptop.folder, '--store', httpUrl, ...remoteArgs(access), ...mode]);
        expect({ code: run.code, stderr: run.stderr.trim() }, `${mode[1]}, agent running: ${agentRuns}`).toEqual({ code: 1, stderr: INSECURE_SSE_C });
        expect(run.stdout + run.stderr).not.toContain(access.secretAccessKey);
        expect(await folderIds(laptop)).toEqual([]);
      }
    }

    await laptop.coffer(['folder', 'add', laptop.folder, '--store', access.httpsUrl, ...remoteArgs(access), '--mode', 'sse-c-vault']);
    expect(folderOf(await statusJson(laptop), 'shared')).toMatchObject({ store: access.httpsUrl, mode: 'sse-c-vault' });
    writeFileSync(join(laptop.folder, 'plan.txt'), 'sent over https only');
    await laptop.coffer(['sync-now']);
    const s3 = host.s3();
    expect(await fileKeys(s3, 'shared')).toEqual(['plan.txt']);
    // Stored as SSE-C: without the customer key the store will not serve it.
    await expectS3Error(s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'plan.txt' })), { code: 'InvalidRequest', status: 400 });
  });

  it('the URL scheme is read without regard to case: an HTTP:// store is refused for SSE-C as http:// is', async () => {
    const laptop = await newDevice('laptop');
    // Nothing needs to listen there: the request is refused before any connection.
    const run = await attempt(laptop, ['folder', 'add', laptop.folder, '--store', 'HTTP://127.0.0.1:9', '--access-key', 'LAPTOPACCESSKEY1', '--secret-key', 'laptop-secret-key-0123', '--mode', 'sse-c-vault']);
    expect({ code: run.code, stderr: run.stderr.trim() }).toEqual({ code: 1, stderr: INSECURE_SSE_C });
    expect(await folderIds(laptop)).toEqual([]);
  });

  it('folder set-mode into an SSE-C mode on an http:// store is refused up front; the folder keeps syncing in its mode', async () => {
    const { host, httpUrl, access } = await remoteHost();
    const laptop = await newDevice('laptop');
    await laptop.coffer(['folder', 'add', laptop.folder, '--store', httpUrl, ...remoteArgs(access), '--mode', 'sse-s3']);
    writeFileSync(join(laptop.folder, 'before.txt'), 'synced in sse-s3');
    await laptop.start();
    await laptop.coffer(['sync-now']);
    const { id } = folderOf(await statusJson(laptop), 'shared');

    const run = await attempt(laptop, ['folder', 'set-mode', id, '--mode', 'sse-c-vault']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/https/i);
    // Refused, not begun: no change is left pending that could never finish over plain HTTP.
    const folder = folderOf(await statusJson(laptop), 'shared');
    expect(folder.pendingMode).toBeUndefined();
    expect(folder).toMatchObject({ mode: 'sse-s3', state: 'idle' });
    writeFileSync(join(laptop.folder, 'after.txt'), 'still syncing');
    await laptop.coffer(['sync-now']);
    expect(await fileKeys(host.s3(), 'shared')).toEqual(['after.txt', 'before.txt']);
  });
});

describe('a folder id that does not exist', () => {
  it('folder pause and resume fail with a clear error and a non-zero exit, agent or not, and leave the real folder as it was', async () => {
    const laptop = await newDevice('laptop');
    await laptop.coffer(['folder', 'add', laptop.folder, '--bucket', 'real']);
    const [realId] = await folderIds(laptop);
    const missing = 'f00df00df00df00d';

    for (const agentRuns of [false, true]) {
      if (agentRuns) await laptop.start();
      for (const verb of ['pause', 'resume']) {
        const run = await attempt(laptop, ['folder', verb, missing]);
        expect({ code: run.code, stderr: run.stderr.trim() }, `${verb}, agent running: ${agentRuns}`).toEqual({ code: 1, stderr: `coffer: no folder with id ${missing}` });
        expect(run.stdout).toBe('');
      }
      expect(folderOf(await statusJson(laptop), 'real').state).not.toBe('paused');
      // The real id works the same way, so the refusal above is about the id alone.
      expect((await laptop.coffer(['folder', 'pause', realId!])).stdout).toBe(`Paused ${realId}.\n`);
      expect(folderOf(await statusJson(laptop), 'real').state).toBe('paused');
      await laptop.coffer(['folder', 'resume', realId!]);
      expect(folderOf(await statusJson(laptop), 'real').state).not.toBe('paused');
    }
  });
});
