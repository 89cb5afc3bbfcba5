// The API the UI sees: one method per contract channel over any transport, never rejecting.
import { describe, expect, it } from 'vitest';
import { createCofferApi, TRANSPORT_ERROR } from '../../preload/bridge.js';
import { CHANNELS, type Channel, type ContractTransport, type Envelope } from '../../preload/contract.js';

/** A transport that records each call and answers with the given function. */
function transport(answer: (channel: Channel, request: unknown) => Promise<unknown>) {
  const calls: [Channel, unknown][] = [];
  const t: ContractTransport = {
    invoke: (channel, request) => {
      calls.push([channel, request]);
      return answer(channel, request) as Promise<Envelope<never>>;
    },
  };
  return { t, calls };
}

describe('createCofferApi', () => {
  it('has a method for every channel, grouped by the first part of its name, and no other', () => {
    const api = createCofferApi(transport(async () => ({ ok: true, value: null })).t);
    const members = Object.entries(api).flatMap(([group, methods]) => Object.keys(methods as object).map((m) => `${group}.${m}`));
    expect(members.sort()).toEqual([...CHANNELS].sort());
  });

  it('sends each call on its own channel with its request, and returns the envelope as it came', async () => {
    const { t, calls } = transport(async (channel) => ({ ok: true, value: channel }));
    const api = createCofferApi(t);
    expect(await api.folders.remove({ folderId: 'f-0000001' })).toEqual({ ok: true, value: 'folders.remove' });
    expect(await api.vault.unlock({ passphrase: 'p' })).toEqual({ ok: true, value: 'vault.unlock' });
    expect(calls).toEqual([
      ['folders.remove', { folderId: 'f-0000001' }],
      ['vault.unlock', { passphrase: 'p' }],
    ]);
  });

  it('sends {} for a method called without its optional request', async () => {
    const { t, calls } = transport(async () => ({ ok: true, value: null }));
    const api = createCofferApi(t);
    await api.status.get();
    await api.folders.pause();
    expect(calls).toEqual([
      ['status.get', {}],
      ['folders.pause', {}],
    ]);
  });

  it('passes error envelopes through unchanged', async () => {
    const refused = { ok: false, error: { code: 'VaultLocked', message: 'unlock the vault first' } };
    const api = createCofferApi(transport(async () => refused).t);
    expect(await api.keys.list()).toEqual(refused);
  });

  it('turns a failing transport or an answer that is not an envelope into a TransportError envelope', async () => {
    const failing = createCofferApi(transport(async () => { throw new Error("No handler registered for 'coffer:keys.list'"); }).t);
    expect(await failing.keys.list()).toEqual({ ok: false, error: { code: TRANSPORT_ERROR, message: "keys.list: No handler registered for 'coffer:keys.list'" } });
    for (const odd of [undefined, null, 'ok', { ok: true }, { ok: false, error: 'x' }, { ok: 'yes', value: 1 }]) {
      const api = createCofferApi(transport(async () => odd).t);
      expect(await api.status.get(), JSON.stringify(odd)).toMatchObject({ ok: false, error: { code: TRANSPORT_ERROR } });
    }
  });

  it('is frozen, so the page cannot swap a method', () => {
    const api = createCofferApi(transport(async () => ({ ok: true, value: null })).t);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.folders)).toBe(true);
  });
});
