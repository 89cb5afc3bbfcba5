// The IPC gate: only the app's own main frame, only contract channels with the app prefix, only valid requests; always an envelope.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type ContractHandlers } from '../../preload/contract.js';
import { ipcChannelOf } from '../../preload/ipcChannels.js';
import { ApiError } from '../../main/agent/control/apiError.js';
import { createLogger } from '../../main/agent/logger.js';
import { Agent } from '../../main/agent/runtime/agent.js';
import { agentHandlers } from '../../main/agent/runtime/agentHandlers.js';
import { bindContractToIpc, type IpcMainLike } from '../../main/desktop/ipcBinding.js';
import { handleIpcCall, senderAllowed, type SenderFrame } from '../../main/desktop/ipcValidation.js';

const APP_FRAME: SenderFrame = { url: 'app://coffer/index.html', isMainFrame: true };

let dataDir: string;
let agent: Agent;
/** The real agent's handlers, with a log of the requests that reached them. */
let handlers: ContractHandlers;
const reached: { channel: string; request: unknown }[] = [];
const unexpected: unknown[] = [];
const onUnexpected = (err: unknown): void => void unexpected.push(err);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'coffer-ipc-'));
  agent = await Agent.start({ dataDir, storePort: 0, storeHttpsPort: 0, apiPort: 0, env: {}, logger: createLogger('silent') });
  const real = agentHandlers(agent);
  handlers = Object.fromEntries(
    CHANNELS.map((channel) => [
      channel,
      (request: unknown) => {
        reached.push({ channel, request });
        return (real[channel] as (r: unknown) => Promise<unknown>)(request);
      },
    ]),
  ) as unknown as ContractHandlers;
});
afterAll(async () => {
  await agent.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function call(ipcName: string, sender: SenderFrame | null, args: unknown[]) {
  reached.length = 0;
  return handleIpcCall(handlers, ipcName, sender, args, onUnexpected);
}

describe('the sender check', () => {
  it('accepts the app origin in its main frame, whatever the path, query or fragment', () => {
    for (const url of ['app://coffer/', 'app://coffer/index.html', 'app://coffer/index.html?x=1#/keys', 'APP://coffer/']) {
      expect(senderAllowed({ url, isMainFrame: true }), url).toBe(true);
    }
  });

  it('refuses sub-frames, other schemes, lookalike hosts and frames that are gone', () => {
    const refused = [
      { url: 'app://coffer/index.html', isMainFrame: false },
      { url: 'file:///home/user/index.html', isMainFrame: true },
      { url: 'https://coffer/', isMainFrame: true },
      { url: 'http://localhost:5173/', isMainFrame: true },
      { url: 'app://coffer.evil/', isMainFrame: true },
      { url: 'app://evil/coffer/', isMainFrame: true },
      { url: 'app://coffer@evil/', isMainFrame: true },
      { url: 'app://coffer:8080/', isMainFrame: true },
      { url: 'app://user:pw@coffer/', isMainFrame: true },
      { url: 'app:coffer/index.html', isMainFrame: true },
      { url: 'appx://coffer/', isMainFrame: true },
      { url: 'about:blank', isMainFrame: true },
      { url: 'not a url', isMainFrame: true },
      { url: '', isMainFrame: true },
    ];
    for (const frame of refused) expect(senderAllowed(frame), frame.url).toBe(false);
    expect(senderAllowed(null)).toBe(false);
    expect(senderAllowed(undefined)).toBe(false);
  });

  it('answers a refused sender with ForbiddenSender and never reaches the agent', async () => {
    for (const sender of [null, { url: 'app://coffer.evil/', isMainFrame: true }, { url: 'app://coffer/', isMainFrame: false }, { url: 'file:///x.html', isMainFrame: true }]) {
      const answer = await call(ipcChannelOf('status.get'), sender, [{}]);
      expect(answer).toEqual({ ok: false, error: { code: 'ForbiddenSender', message: expect.any(String) } });
      expect(reached).toEqual([]);
    }
  });
});

describe('the channel check', () => {
  it('serves every contract channel under the coffer: prefix', async () => {
    const answer = await call(ipcChannelOf('status.get'), APP_FRAME, [{}]);
    expect(answer).toMatchObject({ ok: true, value: { vault: { exists: false, unlocked: false }, folders: [] } });
    expect(reached).toEqual([{ channel: 'status.get', request: {} }]);
  });

  it('refuses names that are not exactly a prefixed contract channel', async () => {
    for (const name of ['status.get', 'coffer:status.set', 'coffer:', 'COFFER:status.get', 'other:status.get', 'coffer:status.get ', 'coffer:__proto__', 'coffer:constructor']) {
      const answer = await call(name, APP_FRAME, [{}]);
      expect(answer, name).toMatchObject({ ok: false, error: { code: 'UnknownChannel' } });
    }
    expect(reached).toEqual([]);
  });
});

describe('the request check', () => {
  it('refuses a missing request, extra arguments and non-objects', async () => {
    const name = ipcChannelOf('folders.pause');
    for (const args of [[], [{}, {}], [null], ['text'], [42], [[]], [new Date()], [Object.create({ inherited: true })]]) {
      const answer = await call(name, APP_FRAME, args);
      expect(answer).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
    }
    expect(reached).toEqual([]);
  });

  it("refuses a request the channel's schema refuses, naming the field and never echoing the value", async () => {
    const cases: [Parameters<typeof ipcChannelOf>[0], unknown, string][] = [
      ['folders.remove', {}, 'folderId'],
      ['folders.remove', { folderId: 7 }, 'folderId'],
      ['folders.remove', { folderId: '../../etc' }, 'folderId'],
      ['status.get', { extra: 'x' }, 'request'],
      ['keys.rekey', { olderThanDays: -1 }, 'olderThanDays'],
      ['vault.unlock', { passphrase: '' }, 'passphrase'],
      ['vault.unlock', { passphrase: 'hunter2-secret', remember: true }, 'request'],
    ];
    for (const [channel, request, field] of cases) {
      const answer = await call(ipcChannelOf(channel), APP_FRAME, [request]);
      expect(answer, `${channel} ${JSON.stringify(request)}`).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
      const message = (answer as { error: { message: string } }).error.message;
      expect(message).toContain(field);
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain('../../etc');
    }
    expect(reached).toEqual([]);
  });
});

describe('the answer', () => {
  it("passes the agent's typed errors through as an envelope", async () => {
    const answer = await call(ipcChannelOf('vault.unlock'), APP_FRAME, [{ passphrase: 'a passphrase' }]);
    expect(answer).toEqual({ ok: false, error: { code: 'NoVault', message: expect.stringContaining('no vault') } });
    expect(reached).toHaveLength(1);
  });

  it('turns an unexpected throw into InternalError without its message or stack, and reports it', async () => {
    const failing = { ...handlers, 'status.get': async () => { throw new Error('boom at /home/user/.secret/vault.db'); } } as ContractHandlers;
    unexpected.length = 0;
    const answer = await handleIpcCall(failing, ipcChannelOf('status.get'), APP_FRAME, [{}], onUnexpected);
    expect(answer).toEqual({ ok: false, error: { code: 'InternalError', message: 'the agent hit an unexpected error; see its log' } });
    expect(JSON.stringify(answer)).not.toMatch(/secret|stack|at /);
    expect(unexpected).toHaveLength(1);
  });

  it('keeps the code and message of an ApiError or a named error class, and no stack', async () => {
    class VaultLockedError extends Error {
      override name = 'VaultLockedError';
    }
    const failing = {
      ...handlers,
      'keys.list': async () => { throw new ApiError('VaultLocked', 'unlock the vault first'); },
      'keys.rotate': async () => { throw new VaultLockedError('the vault is locked'); },
    } as ContractHandlers;
    expect(await handleIpcCall(failing, ipcChannelOf('keys.list'), APP_FRAME, [{}], onUnexpected)).toEqual({ ok: false, error: { code: 'VaultLocked', message: 'unlock the vault first' } });
    const named = await handleIpcCall(failing, ipcChannelOf('keys.rotate'), APP_FRAME, [{}], onUnexpected);
    expect(named).toEqual({ ok: false, error: { code: 'VaultLockedError', message: 'the vault is locked' } });
    expect(Object.keys((named as { error: object }).error)).toEqual(['code', 'message']);
  });

  it('answers a handler that returns nothing with value null', async () => {
    const answer = await call(ipcChannelOf('folders.pause'), APP_FRAME, [{}]);
    expect(answer).toEqual({ ok: true, value: null });
  });
});

describe('the binding to ipcMain', () => {
  /** A stand-in for Electron's ipcMain: the same two methods, with the listeners kept to call. */
  function recordingIpcMain() {
    const listeners = new Map<string, Parameters<IpcMainLike['handle']>[1]>();
    const ipcMain: IpcMainLike = {
      handle: (channel, listener) => {
        if (listeners.has(channel)) throw new Error(`second handler for ${channel}`);
        listeners.set(channel, listener);
      },
      removeHandler: (channel) => void listeners.delete(channel),
    };
    return { ipcMain, listeners };
  }
  const event = (url: string, parent: object | null) => ({ senderFrame: { url, parent } }) as never;

  it('registers exactly one prefixed name per contract channel and removes them all', () => {
    const { ipcMain, listeners } = recordingIpcMain();
    const unbind = bindContractToIpc(ipcMain, handlers, onUnexpected);
    expect([...listeners.keys()].sort()).toEqual(CHANNELS.map((c) => `coffer:${c}`).sort());
    unbind();
    expect(listeners.size).toBe(0);
  });

  it("reads the sender from the event's frame: a frame with a parent or no frame at all is refused", async () => {
    const { ipcMain, listeners } = recordingIpcMain();
    bindContractToIpc(ipcMain, handlers, onUnexpected);
    const statusGet = listeners.get('coffer:status.get')!;
    expect(await statusGet(event('app://coffer/index.html', null), {})).toMatchObject({ ok: true });
    expect(await statusGet(event('app://coffer/index.html', { url: 'app://coffer/' }), {})).toMatchObject({ ok: false, error: { code: 'ForbiddenSender' } });
    expect(await statusGet({ senderFrame: null } as never, {})).toMatchObject({ ok: false, error: { code: 'ForbiddenSender' } });
    expect(await statusGet(event('app://coffer/', null))).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
  });
});
