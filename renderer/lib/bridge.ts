// The one place the UI reaches the agent: Electron's window.coffer (IPC) when present, else the control API over HTTP.
import type { Channel, CofferApi, Envelope, RequestOf, ResponseOf } from '../../preload/contract.js';

declare global {
  interface Window {
    /** Set by the desktop app's preload; absent in a browser. */
    readonly coffer?: CofferApi;
  }
}

const TOKEN_KEY = 'coffer.token';

/** The envelope code of a call the transport could not carry (same as the preload bridge's). */
export const TRANSPORT_ERROR = 'TransportError';

/**
 * The agent's token: taken from the fragment of the URL `coffer agent` printed (#token=…), kept for
 * this tab only, and removed from the address bar so it stays out of the history and screenshots.
 */
function takeToken(): string | undefined {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]{43})(?:&|$)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]!);
    history.replaceState(null, '', `${location.pathname}${location.search}#/`);
    return match[1];
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

type Invoke = <C extends Channel>(channel: C, request: RequestOf<C>) => Promise<Envelope<ResponseOf<C>>>;

function failure(message: string): Envelope<never> {
  return { ok: false, error: { code: TRANSPORT_ERROR, message } };
}

function httpInvoke(token: string | undefined): Invoke {
  return async (channel, request) => {
    if (token === undefined) return { ok: false, error: { code: 'Unauthorized', message: 'open Coffer with the address `coffer agent` printed (it carries the token)' } };
    try {
      const response = await fetch(`./api/${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(request ?? {}),
        cache: 'no-store',
      });
      const body = (await response.json()) as Envelope<ResponseOf<typeof channel>>;
      if (body && typeof body === 'object' && 'ok' in body) return body;
      return failure(`${channel}: the answer is not a result envelope`);
    } catch (err) {
      return failure(`${channel}: the agent cannot be reached (${err instanceof Error ? err.message : String(err)})`);
    }
  };
}

/** The API over a plain invoke function: api.folders.add(request) carries 'folders.add'. */
function apiOver(invoke: Invoke): CofferApi {
  const groups = new Map<string, object>();
  return new Proxy({} as CofferApi, {
    get(_target, group) {
      if (typeof group !== 'string') return undefined;
      let methods = groups.get(group);
      if (!methods) {
        methods = new Proxy({}, { get: (_t, member) => (typeof member === 'string' ? (request?: unknown) => invoke(`${group}.${member}` as Channel, (request ?? {}) as never) : undefined) });
        groups.set(group, methods);
      }
      return methods;
    },
  });
}

/** Where the UI runs: 'desktop' inside the Electron app, 'browser' when served by the agent. */
export const host: 'desktop' | 'browser' = window.coffer ? 'desktop' : 'browser';

export const api: CofferApi = window.coffer ?? apiOver(httpInvoke(takeToken()));

/** A failed call, as views show it: the agent's error code and its message (never a secret). */
export class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CallError';
  }
}

/** The value of an envelope, or a CallError carrying its code and message. */
export async function unwrap<T>(call: Promise<Envelope<T>>): Promise<T> {
  const envelope = await call;
  if (envelope.ok) return envelope.value;
  throw new CallError(envelope.error.code, envelope.error.message);
}
