// The agent's loopback control API: POST /api/<channel> with a JSON request, answered with a result envelope.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CHANNELS, type Channel, type ContractHandlers, type Envelope } from '../../../preload/contract.js';
import { ApiError } from './apiError.js';
import { envelopeOfError } from './errorEnvelope.js';
import { hostAllowed, originAllowed, tokenAllowed } from './requestGuards.js';
import { validateRequest } from './requestSchemas.js';
import { serveUiFile } from './uiFiles.js';

const MAX_BODY_BYTES = 1 << 20;
const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNELS);

export interface ControlApi {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: Envelope<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

function refuse(res: http.ServerResponse, status: number, code: string, message: string): void {
  send(res, status, { ok: false, error: { code, message } });
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError('RequestTooLarge', 'request body is over 1 MiB');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError('MalformedRequest', 'request body is not JSON');
  }
}

export async function startControlApi(options: {
  host?: string;
  port: number;
  token: string;
  handlers: ContractHandlers;
  onUnexpected: (err: unknown) => void;
  /** The built renderer to serve at / (its files carry no secret; every /api/ call still needs the token). */
  uiDir?: string;
}): Promise<ControlApi> {
  let port = options.port;
  const server = http.createServer((req, res) => {
    void (async () => {
      if (!hostAllowed(req, port)) return refuse(res, 421, 'BadHost', 'the Host header must name this loopback address');
      if (!originAllowed(req, port)) return refuse(res, 403, 'BadOrigin', 'requests from other origins are refused');
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (options.uiDir !== undefined && !url.pathname.startsWith('/api/') && (await serveUiFile(req, res, options.uiDir, url.pathname))) return;
      if (!tokenAllowed(req, options.token)) return refuse(res, 401, 'Unauthorized', 'a valid agent token is required');
      const channel = url.pathname.startsWith('/api/') ? url.pathname.slice('/api/'.length) : '';
      if (!CHANNEL_SET.has(channel)) return refuse(res, 404, 'UnknownChannel', `no such channel: ${channel || url.pathname}`);
      if (req.method !== 'POST') return refuse(res, 405, 'MethodNotAllowed', 'use POST');
      try {
        const request = await readJson(req);
        if (request === null || typeof request !== 'object' || Array.isArray(request)) throw new ApiError('MalformedRequest', 'request body must be a JSON object');
        const handler = options.handlers[channel as Channel] as (r: unknown) => Promise<unknown>;
        const value = await handler(validateRequest(channel as Channel, request));
        send(res, 200, { ok: true, value: value ?? null });
      } catch (err) {
        const envelope = envelopeOfError(err, options.onUnexpected);
        send(res, err instanceof ApiError && err.code === 'RequestTooLarge' ? 413 : 400, envelope);
      }
    })();
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
