// The embedded store's listeners: HTTP and HTTPS on the same handler, with a clean shutdown.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { masterKeyRotationEvent } from '../keys/keyEvents.js';
import { handleRequest } from './handleRequest.js';
import type { StoreServices } from './storeServices.js';

export interface ListenOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Omit to serve HTTP only. */
  https?: { port: number; cert: string | Buffer; key: string | Buffer };
}

export interface RunningStore {
  readonly httpUrl: string;
  readonly httpsUrl: string | undefined;
  readonly services: StoreServices;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** How long shutdown waits for in-flight requests before cutting their connections. */
const SHUTDOWN_GRACE_MS = 30_000;

/** The KMS's due work (automatic rotations, deletions whose window ended), at start and hourly. */
function scheduleKmsDueWork(services: StoreServices, logger: Logger): NodeJS.Timeout {
  const run = (): void => {
    try {
      const report = services.kms.runDueWork(new Date());
      if (report.rotated.length + report.deleted.length > 0) logger.info({ rotated: report.rotated.length, deleted: report.deleted.length }, 'KMS scheduled work done');
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'KMS scheduled work failed');
    }
  };
  run();
  const timer = setInterval(run, HOUR_MS);
  timer.unref();
  return timer;
}

/** Daily, when a retention is set: prunes older events behind a signed checkpoint. */
function scheduleAuditRetention(services: StoreServices, logger: Logger): NodeJS.Timeout | undefined {
  const days = services.options.auditRetentionDays;
  const log = services.auditLog;
  if (days === undefined || !log) return undefined;
  const run = (): void => {
    try {
      const { pruned } = log.prune(new Date(Date.now() - days * DAY_MS), { principal: 'scheduler' });
      if (pruned > 0) logger.info({ pruned, days }, 'access history pruned');
    } catch (err) {
      // A log that does not verify is never pruned: pruning would sign over the damage.
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'access history not pruned');
    }
  };
  run();
  const timer = setInterval(run, DAY_MS);
  timer.unref();
  return timer;
}

function urlOf(scheme: string, host: string, server: http.Server): string {
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${shown}:${port}`;
}

async function listen(server: http.Server, host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startStore(services: StoreServices, listenOptions: ListenOptions, logger: Logger): Promise<RunningStore> {
  const servers: http.Server[] = [];
  const state = { closing: false };
  // handleRequest answers every error itself; anything escaping it is a defect to log, never a reason to stop the store.
  const serve = (secureListener: boolean) => (req: http.IncomingMessage, res: http.ServerResponse) =>
    void handleRequest(req, res, { services, logger, secure: secureListener, state }).catch((err: unknown) => {
      logger.error({ err: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }, 'request handling failed');
      res.destroy();
    });
  const plain = http.createServer(serve(false));
  servers.push(plain);
  await listen(plain, listenOptions.host, listenOptions.port);
  let secure: https.Server | undefined;
  if (listenOptions.https) {
    secure = https.createServer(
      { cert: listenOptions.https.cert, key: listenOptions.https.key },
      serve(true),
    );
    servers.push(secure);
    await listen(secure, listenOptions.host, listenOptions.https.port);
  }
  for (const server of servers) {
    // Large uploads stream for a long time; only an idle socket is timed out.
    server.requestTimeout = 0;
    server.keepAliveTimeout = 65_000;
    // Expect: 100-continue is answered only when an operation reads the body (RequestContext.body), not up front.
    server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => server.emit('request', req, res));
  }
  services.unlinks.reportTo((err) =>
    logger.error({ err: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }, 'could not remove a blob file no object names; the next start removes it'),
  );
  const rotation = scheduleMasterKeyRotation(services, logger);
  const kmsWork = scheduleKmsDueWork(services, logger);
  const retention = scheduleAuditRetention(services, logger);
  return {
    httpUrl: urlOf('http', listenOptions.host, plain),
    httpsUrl: secure ? urlOf('https', listenOptions.host, secure) : undefined,
    services,
    async close() {
      clearInterval(rotation);
      clearInterval(kmsWork);
      if (retention) clearInterval(retention);
      // In-flight requests finish and are answered with Connection: close; idle keep-alive
      // sockets are closed now; a client that never finishes is cut after the grace period.
      state.closing = true;
      const closed = Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      for (const server of servers) server.closeIdleConnections();
      const grace = setTimeout(() => servers.forEach((s) => s.closeAllConnections()), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(grace);
      await services.close();
    },
  };
}

/** Checks at start and then daily whether the SSE-S3 master key is due for rotation. */
function scheduleMasterKeyRotation(services: StoreServices, logger: Logger): NodeJS.Timeout {
  const check = (): void => {
    const version = services.keyring.rotateIfOlderThan(services.options.masterKeyRotationDays);
    if (version === undefined) return;
    logger.info({ version }, 'store master key rotated on schedule');
    services.audit.record(masterKeyRotationEvent(version, 'scheduler'));
  };
  check();
  const timer = setInterval(check, DAY_MS);
  timer.unref();
  return timer;
}
