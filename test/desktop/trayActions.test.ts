// Each tray item does its one thing: agent calls for pause, resume, sync and lock; the window; the file manager; quit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../main/agent/logger.js';
import { Agent } from '../../main/agent/runtime/agent.js';
import { agentHandlers } from '../../main/agent/runtime/agentHandlers.js';
import { runTrayAction, type TrayActionDeps } from '../../main/desktop/trayActions.js';
import type { TrayAction } from '../../main/desktop/trayModel.js';

let dataDir: string;
let agent: Agent;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'coffer-tray-'));
  agent = await Agent.start({ dataDir, storePort: 0, storeHttpsPort: 0, apiPort: 0, env: {}, logger: createLogger('silent') });
});
afterAll(async () => {
  await agent.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The real agent's handlers, and a log of what the action did to the window, the OS and the status. */
function deps(openFolder: TrayActionDeps['openFolder'] = async () => undefined) {
  const log: string[] = [];
  const d: TrayActionDeps = {
    handlers: agentHandlers(agent),
    showWindow: (hash) => log.push(`show${hash ?? ''}`),
    openFolder: async (path) => {
      log.push(`open ${path}`);
      return openFolder(path);
    },
    quit: () => log.push('quit'),
    refresh: async () => void log.push('refresh'),
    onFailure: (what, err) => log.push(`failed to ${what}: ${(err as Error).message}`),
  };
  return { d, log };
}

async function run(action: TrayAction, openFolder?: TrayActionDeps['openFolder']): Promise<string[]> {
  const { d, log } = deps(openFolder);
  await runTrayAction(action, d);
  return log;
}

describe('tray actions', () => {
  it('opens the window, at the key view for Rotate keys…', async () => {
    expect(await run({ type: 'open' })).toEqual(['show']);
    expect(await run({ type: 'open-keys' })).toEqual(['show#/keys']);
  });

  it('calls the agent for pause, resume and sync, then refreshes the status', async () => {
    for (const type of ['pause-all', 'resume-all', 'sync-now'] as const) expect(await run({ type }), type).toEqual(['refresh']);
  });

  it("reports the agent's refusal instead of refreshing", async () => {
    // This data dir has no vault, so the agent refuses to lock one.
    expect(await run({ type: 'lock-vault' })).toEqual([expect.stringMatching(/^failed to lock the vault: .*no vault/)]);
  });

  it('opens a folder in the file manager, and reports when it cannot', async () => {
    expect(await run({ type: 'open-folder', folderId: 'f-1', localPath: '/home/ana/Documents' })).toEqual(['open /home/ana/Documents']);
    const failing = await run({ type: 'open-folder', folderId: 'f-1', localPath: '/gone' }, async () => {
      throw new Error('no such folder');
    });
    expect(failing).toEqual(['open /gone', 'failed to open /gone: no such folder']);
  });

  it('quits', async () => {
    expect(await run({ type: 'quit' })).toEqual(['quit']);
  });
});
