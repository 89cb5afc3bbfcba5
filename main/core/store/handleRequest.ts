// One request through the store: address, authenticate, route, run the operation, answer (or answer an S3 error).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { streamStarting } from '../threads/oldGenerationGrowth.js';
import { noteStreamedBytes } from '../threads/spentBuffers.js';
import { enforceBucketPolicy } from './access/bucketPolicyGate.js';
import { resolveAddress } from './addressing.js';
import { headerOrSignedQuery, readPayload, verifyRequest, type PayloadReader } from './auth/index.js';
import { S3Error, renderErrorXml, toS3Error } from './errors.js';
import { operations } from './operations/index.js';
import type { RequestContext, S3Response } from './requestContext.js';
import { requestEvent } from './requestAudit.js';
import type { AuditNote } from './requestContext.js';
import { routeRequest, type OperationName } from './router.js';
import { assertSseHeadersAllowed } from './sse/requestEncryption.js';
import type { StoreServices } from './storeServices.js';

export interface RequestEnvironment {
  services: StoreServices;
  logger: Logger;
  secure: boolean;
  /** Set when the store is shutting down: answers close their connection. */
  state: { closing: boolean };
}

function newRequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** Beyond this size or time an unread request body is not worth reading: the connection is cut instead. */
const MAX_DISCARDED_BODY_BYTES = 4 * 1024 * 1024;
const MAX_DISCARD_MS = 10_000;

/** As Node decides it: such a request reaches the store through 'checkContinue' (see storeServer.ts). */
function expectsContinue(req: IncomingMessage): boolean {
  return req.httpVersion === '1.1' && /(?:^|\W)100-continue(?:$|\W)/i.test(req.headers.expect ?? '');
}

export async function handleRequest(req: IncomingMessage, res: ServerResponse, env: RequestEnvironment): Promise<void> {
  const started = process.hrtime.bigint();
  const requestId = newRequestId();
  const receivedAt = new Date();
  // Read now: a request whose body is cut short can lose its socket before the audit event is made.
  const sourceIp = req.socket.remoteAddress;
  const method = (req.method ?? 'GET').toUpperCase();
  const url = req.url ?? '/';
  res.setHeader('x-amz-request-id', requestId);
  res.setHeader('x-amz-id-2', requestId);
  res.setHeader('Server', 'Coffer');
  if (env.state.closing) res.setHeader('Connection', 'close');
  res.once('finish', () => {
    if (env.state.closing) req.socket?.end();
  });
  let operation: OperationName | undefined;
  let bucket: string | undefined;
  let key: string | undefined;
  let principal: string | undefined;
  let status = 500;
  let errorCode: string | undefined;
  let errorMessage: string | undefined;
  let continued = false;
  const auditNote: AuditNote = {};
  try {
    const address = resolveAddress(url, req.headers.host, env.services.options.virtualHostDomains);
    bucket = address.bucket;
    key = address.key;
    const secrets = env.services.options.credentials;
    const auth = verifyRequest({ method, url, headers: req.headers }, (ak) => secrets.find((c) => c.accessKeyId === ak)?.secretAccessKey, receivedAt, env.services.options.region);
    principal = auth.accessKeyId;
    const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
    const header = (name: string): string | undefined => headerOrSignedQuery(name, req.headers, query, auth);
    operation = routeRequest({
      method,
      hasBucket: address.bucket !== undefined,
      hasKey: address.key !== undefined,
      query,
      copySource: header('x-amz-copy-source') !== undefined,
    });
    let payload: PayloadReader | undefined;
    const ctx: RequestContext = {
      requestId,
      method,
      bucket: address.bucket,
      key: address.key,
      query,
      headers: req.headers,
      secure: env.secure,
      auth,
      sourceIp: sourceIp ?? '',
      receivedAt,
      services: env.services,
      header,
      body() {
        if (payload) throw new Error('request body read twice');
        // The client holds the body back until asked for it, so a refusal never costs an upload (S3 does the same).
        if (expectsContinue(req)) {
          res.writeContinue();
          continued = true;
        }
        payload = readPayload(req, auth, req.headers);
        return payload;
      },
      keys: {
        keyring: env.services.keyring,
        kms: env.services.kms,
        actor: { principal: auth.accessKeyId, sourceIp, userAgent: req.headers['user-agent'], requestId },
      },
      auditNote,
    };
    enforceBucketPolicy(operation, ctx);
    assertSseHeadersAllowed(operation, ctx);
    const response = await operations[operation](ctx);
    status = response.status ?? 200;
    await send(res, response, method === 'HEAD');
  } catch (err) {
    const s3 = toS3Error(err);
    if (!(err instanceof S3Error)) env.logger.error({ requestId, operation, err: describe(err) }, 'internal error');
    status = s3.status;
    errorCode = s3.code;
    errorMessage = s3.message;
    // A body already on its way is read and dropped before the answer: closing on unread bytes resets
    // the connection (also when the client asked for Connection: close), and a client still writing would lose the answer.
    if (!(expectsContinue(req) && !continued)) await discardBody(req);
    sendError(req, res, s3, requestId, method);
  } finally {
    env.services.audit.record(
      requestEvent({ requestId, receivedAt, req, sourceIp, principal, operation, bucket, key, status, errorCode, errorMessage, note: auditNote }),
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    env.logger.debug({ requestId, operation, bucket, status, errorCode, ms: Math.round(ms * 10) / 10 }, 'request');
  }
}

/** Only the error's class and message, never request data, which may hold key material. */
function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

async function send(res: ServerResponse, response: S3Response, isHead: boolean): Promise<void> {
  if (res.headersSent) return;
  res.statusCode = response.status ?? 200;
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    if (value !== undefined) res.setHeader(name, value);
  }
  const body = response.body;
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
    const bytes = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (!res.hasHeader('content-length')) res.setHeader('Content-Length', bytes?.length ?? 0);
    res.end(isHead ? undefined : bytes);
    return;
  }
  const iterator = body[Symbol.asyncIterator]();
  const streamEnded = isHead ? () => {} : streamStarting(Number(res.getHeader('content-length')));
  try {
    if (isHead) {
      res.end();
      return;
    }
    // Writes go out corked in groups of about WRITE_GROUP_BYTES: one writev and one drain wait per
    // group instead of per 64 KiB segment. The first group carries the headers too.
    res.cork();
    res.flushHeaders();
    let grouped = 0;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      if (res.destroyed) break;
      res.write(next.value);
      noteStreamedBytes(next.value.length);
      grouped += next.value.length;
      if (grouped >= WRITE_GROUP_BYTES) {
        grouped = 0;
        res.uncork();
        if (res.writableNeedDrain) await drained(res);
        res.cork();
      }
    }
    res.uncork();
    res.end();
  } catch {
    // Headers are gone; the only honest signal left is a cut connection (the client sees a short body).
    res.destroy();
  } finally {
    streamEnded();
    await iterator.return?.();
  }
}

/** Response bytes gathered before one write to the socket. */
const WRITE_GROUP_BYTES = 1024 * 1024;

/** Waits until the response can take more bytes, or is gone; leaves no listener behind. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function sendError(req: IncomingMessage, res: ServerResponse, err: S3Error, requestId: string, method: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from(renderErrorXml(err, requestId, req.url?.split('?')[0]), 'utf8');
  res.statusCode = err.status;
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/xml');
  // A body still unread here is held back for a 100 Continue, or was too big to drop: close the connection.
  if (!req.complete) res.setHeader('Connection', 'close');
  if (method === 'HEAD' || err.status === 304) {
    res.setHeader('Content-Length', 0);
    res.end();
  } else {
    res.setHeader('Content-Length', body.length);
    res.end(body);
  }
}

/** Reads and drops the rest of a request body; past MAX_DISCARDED_BODY_BYTES or MAX_DISCARD_MS the connection is cut. */
function discardBody(req: IncomingMessage): Promise<void> {
  if (req.complete || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let discarded = 0;
    const cut = (): void => void req.socket?.destroy();
    const timer = setTimeout(cut, MAX_DISCARD_MS);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > MAX_DISCARDED_BODY_BYTES) cut();
    });
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
    req.resume();
  });
}
