// Unlocking with a key file (the recovery key as printed at init): at agent start, and on a running agent.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEvents, createAgentDevice, type AgentDevice } from '../support/agentDevice.js';

let device: AgentDevice | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});

interface Status {
  vault: { unlocked: boolean };
  folders: { state: string; reason?: string }[];
}

describe('key file unlock', () => {
  it('COFFER_KEY_FILE unlocks at start; coffer vault unlock --key-file unlocks a locked agent; a wrong file changes nothing', async () => {
    device = await createAgentDevice('laptop');
    const { recoveryKey } = JSON.parse((await device.coffer(['vault', 'init', '--json'])).stdout) as { recoveryKey: string };
    await device.coffer(['folder', 'add', device.folder, '--bucket', 'diary', '--mode', 'sse-c-vault']);
    const keyFile = join(device.base, 'recovery.key');
    writeFileSync(keyFile, `${recoveryKey}\n`, { mode: 0o600 });
    const wrongFile = join(device.base, 'wrong.key');
    writeFileSync(wrongFile, 'not a recovery key\n', { mode: 0o600 });
    const status = async (): Promise<Status> => JSON.parse((await device!.coffer(['status', '--json'])).stdout) as Status;

    Object.assign(device.env, { COFFER_PASSPHRASE: undefined, COFFER_KEY_FILE: keyFile });
    await device.start();
    expect((await status()).vault.unlocked).toBe(true);
    writeFileSync(join(device.folder, 'entry.txt'), 'dear diary');
    await device.coffer(['sync-now']);
    expect((await status()).folders[0]!.state).toBe('idle');

    await device.coffer(['vault', 'lock']);
    expect((await status()).folders[0]!.reason).toMatch(/vault is locked/);
    await expect(device.coffer(['vault', 'unlock', '--key-file', wrongFile])).rejects.toThrow(/exited 1: coffer: .*recovery key/);
    expect((await status()).vault.unlocked).toBe(false);
    await device.coffer(['vault', 'unlock', '--key-file', keyFile]);
    expect((await status()).vault.unlocked).toBe(true);
    await device.coffer(['sync-now']);
    expect((await status()).folders[0]!.state).toBe('idle');

    const unlocks = (await auditEvents(device.dataDir, [])).filter((e) => e.operation === 'VaultUnlock');
    expect(unlocks.map((e) => e.details?.method)).toEqual(['key-file', 'key-file']);
    const serialized = JSON.stringify(await auditEvents(device.dataDir, []));
    expect(serialized).not.toContain(recoveryKey.split(/\s+/)[0]!.slice(0, 12));
  });
});
