// The loopback baseline: a trivial node:http / node:https server that takes PUT bodies and serves them back.
//
// It does no auth, no hashing and no disk I/O: a PUT keeps the body's first 1 MiB (the benchmark's
// large object repeats one 1 MiB block) and its length; a GET sends that block repeated to the length;
// a DELETE forgets it.
// Started as a child process by the benchmark: `node baselineServer.js <cert.pem> <key.pem>`.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

const KEEP_BYTES = 1024 * 1024;

interface Kept {
  head: Buffer;
  size: number;
}

const objects = new Map<string, Kept>();

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!; // the SDK adds ?x-id=...; objects are named by path
  if (req.method === 'PUT') {
    const head: Buffer[] = [];
    let kept = 0;
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (kept < KEEP_BYTES) {
        const piece = chunk.subarray(0, KEEP_BYTES - kept);
        head.push(Buffer.from(piece));
        kept += piece.length;
      }
    }
    objects.set(path, { head: Buffer.concat(head), size });
    res.writeHead(200, { 'Content-Length': 0, ETag: '"0"' });
    res.end();
    return;
  }
  if (req.method === 'DELETE') {
    objects.delete(path);
    res.writeHead(204);
    res.end();
    return;
  }
  const object = objects.get(path);
  if (req.method !== 'GET' || !object) {
    res.writeHead(404, { 'Content-Length': 0 });
    res.end();
    return;
  }
  res.writeHead(200, { 'Content-Length': object.size, ETag: '"0"' });
  let sent = 0;
  while (sent < object.size) {
    const take = Math.min(object.head.length, object.size - sent);
    sent += take;
    if (!res.write(take === object.head.length ? object.head : object.head.subarray(0, take))) {
      await Promise.race([once(res, 'drain'), once(res, 'close')]);
      if (res.destroyed) return;
    }
  }
  res.end();
}

function serve(server: http.Server): Promise<string> {
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(String((server.address() as AddressInfo).port)));
  });
}

const [certFile, keyFile] = process.argv.slice(2);
if (!certFile || !keyFile) throw new Error('usage: baselineServer.js <cert.pem> <key.pem>');
const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
  handle(req, res).catch(() => res.destroy());
};
const plainPort = await serve(http.createServer(onRequest));
const securePort = await serve(https.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, onRequest));
process.stdout.write(`baseline http: http://127.0.0.1:${plainPort}\nbaseline https: https://127.0.0.1:${securePort}\n`);
process.once('SIGINT', () => process.exit(0));
