// Folders whose keys are not at hand, through a real agent: another SSE-C key in the key file, a vault left locked at start.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { openVault } from '../../main/core/keys/vault/index.js';
import { createAgentDevice, PASSPHRASE, type AgentDevice } from '../support/agentDevice.js';
import { runCoffer } from '../support/cofferCli.js';
import { customerKeyForms, findNeedles } from '../support/leakScan.js';
import { bodyOf, customerKey, expectS3Error, sseC, type CustomerKey } from '../support/s3Expect.js';
import { fileKeys, folderOf, statusJson, type StatusJson } from '../support/statusSamples.js';

let device: AgentDevice | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});

async function textOf(s3: S3Client, bucket: string, key: string, customer?: CustomerKey): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(customer ? sseC(customer) : {}) }));
  return (await bodyOf(out)).toString();
}

describe('a folder whose key is not at hand', () => {
  it('sse-c-key: with another key in the key file the folder refuses to sync, names the fingerprint mismatch, sends nothing, and never shows a key', { timeout: 180_000 }, async () => {
    const d = (device = await createAgentDevice('laptop'));
    const keyFile = join(d.base, 'folder.key');
    const setUpKey = customerKey();
    const otherKey = customerKey();
    writeFileSync(keyFile, setUpKey.raw.toString('hex'));
    const printed: string[] = [];
    const coffer = async (args: string[]): Promise<string> => {
      const run = await d.coffer(args);
      printed.push(run.stdout, run.stderr);
      return run.stdout;
    };
    /** Stops the agent, keeping everything it printed. */
    const stop = async (): Promise<void> => {
      printed.push(d.agent!.output());
      await d.stop();
    };

    await coffer(['vault', 'init']);
    await coffer(['folder', 'add', d.folder, '--bucket', 'keyed', '--mode', 'sse-c-key', '--sse-c-key-file', keyFile]);
    writeFileSync(join(d.folder, 'kept.txt'), 'first version');
    await d.start();
    await coffer(['sync-now']);
    expect(await textOf(d.s3(), 'keyed', 'kept.txt', setUpKey)).toBe('first version');
    await stop();

    // Another 32-byte key (raw bytes this time) where the folder's key was, and changes waiting to go up.
    writeFileSync(keyFile, otherKey.raw);
    writeFileSync(join(d.folder, 'kept.txt'), 'second version');
    writeFileSync(join(d.folder, 'new.txt'), 'never to be sent under the wrong key');
    await d.start();
    const refused = await runCoffer(['sync-now', '--data-dir', d.dataDir], d.env);
    printed.push(refused.stdout, refused.stderr);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/fingerprint differs/);
    const folder = folderOf(JSON.parse(await coffer(['status', '--json'])) as StatusJson, 'keyed');
    expect(folder).toMatchObject({ state: 'error', reason: expect.stringMatching(/not the one the folder was set up with \(its fingerprint differs\)/) });
    expect(await coffer(['status'])).toMatch(new RegExp(`^${d.folder} {2}\\[error\\] {2}.*fingerprint differs`, 'm'));
    const s3 = d.s3();
    expect(await fileKeys(s3, 'keyed')).toEqual(['kept.txt']);
    expect(await textOf(s3, 'keyed', 'kept.txt', setUpKey)).toBe('first version');
    await expectS3Error(textOf(s3, 'keyed', 'kept.txt', otherKey), { code: 'AccessDenied', status: 403 });
    await stop();

    // The right key back: the same folder sends what waited, under that key.
    writeFileSync(keyFile, setUpKey.raw.toString('base64'));
    await d.start();
    await coffer(['sync-now']);
    const after = d.s3();
    expect(await fileKeys(after, 'keyed')).toEqual(['kept.txt', 'new.txt']);
    expect(await textOf(after, 'keyed', 'kept.txt', setUpKey)).toBe('second version');
    expect(await textOf(after, 'keyed', 'new.txt', setUpKey)).toBe('never to be sent under the wrong key');
    expect(folderOf(await statusJson(d), 'keyed')).toMatchObject({ state: 'idle', errors: [] });
    await stop();

    const needles = [...customerKeyForms('set-up key', setUpKey.raw), ...customerKeyForms('other key', otherKey.raw)];
    const output = printed.join('\n');
    for (const needle of needles.filter((n) => !n.label.endsWith('(raw)'))) expect(output, needle.label).not.toContain(needle.bytes.toString());
    expect(findNeedles(d.dataDir, needles)).toEqual([]);
  });

  it('a locked vault: an sse-c-vault folder uploads nothing while locked, and after coffer vault unlock the file is in the store under its vault key', async () => {
    const d = (device = await createAgentDevice('laptop'));
    await d.coffer(['vault', 'init']);
    await d.coffer(['folder', 'add', d.folder, '--bucket', 'diary', '--mode', 'sse-c-vault']);
    // The agent starts without the passphrase, so its vault stays locked.
    d.env.COFFER_PASSPHRASE = undefined;
    await d.start();
    writeFileSync(join(d.folder, 'diary.txt'), 'dear diary, written while the vault was locked');
    const refused = await runCoffer(['sync-now', '--data-dir', d.dataDir], d.env);
    expect({ code: refused.code, saysWhy: /vault is locked/.test(refused.stderr) }).toEqual({ code: 1, saysWhy: true });

    const locked = await statusJson(d);
    expect(locked.vault).toEqual({ exists: true, unlocked: false });
    expect(folderOf(locked, 'diary')).toMatchObject({ state: 'error', reason: expect.stringMatching(/vault is locked/) });
    expect((await d.coffer(['status'])).stdout).toContain('Agent: running   vault: locked');
    const s3 = d.s3();
    expect(await fileKeys(s3, 'diary')).toEqual([]);

    expect((await d.coffer(['vault', 'unlock'], { COFFER_PASSPHRASE: PASSPHRASE })).stdout).toContain('vault is unlocked');
    await d.coffer(['sync-now']);
    const unlocked = await statusJson(d);
    expect(unlocked.vault.unlocked).toBe(true);
    const folder = folderOf(unlocked, 'diary');
    expect(folder).toMatchObject({ state: 'idle', errors: [] });
    expect(await fileKeys(s3, 'diary')).toEqual(['diary.txt']);

    // The folder's mode decides how the object reads: only with its per-file key from the vault.
    const vault = openVault(d.dataDir);
    try {
      await vault.unlock(PASSPHRASE);
      const fileKey = customerKey(vault.fileKey(folder.id, 'diary.txt')!);
      expect(await textOf(s3, 'diary', 'diary.txt', fileKey)).toBe('dear diary, written while the vault was locked');
    } finally {
      vault.close();
    }
    await expectS3Error(textOf(s3, 'diary', 'diary.txt'), { code: 'InvalidRequest', status: 400 });
  });

  it('sync-now fails with the reason a folder is kept back, through the agent as with no agent running', async () => {
    const d = (device = await createAgentDevice('laptop'));
    await d.coffer(['vault', 'init']);
    await d.coffer(['folder', 'add', d.folder, '--bucket', 'diary', '--mode', 'sse-c-vault']);
    writeFileSync(join(d.folder, 'diary.txt'), 'waits for the vault');
    d.env.COFFER_PASSPHRASE = undefined;
    for (const agentRuns of [false, true]) {
      if (agentRuns) await d.start();
      const run = await runCoffer(['sync-now', '--data-dir', d.dataDir], d.env);
      expect({ code: run.code, saysWhy: /vault is locked/.test(run.stderr) }, `agent running: ${agentRuns}; ${run.stdout}${run.stderr}`).toEqual({ code: 1, saysWhy: true });
      expect(run.stdout).not.toContain('Sync done.');
    }
  });
});
