// A loopback HTTP proxy in front of the embedded store that answers as a versioned S3 bucket would: an x-amz-version-id on writes and reads.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  readonly method: string;
  /** Path and query exactly as the client sent them. */
  readonly url: string;
}

export interface VersioningProxy {
  /** http://127.0.0.1:<port>: point a path-style S3 client here. */
  readonly url: string;
  /** Every request that passed, in order. */
  readonly requests: ProxiedRequest[];
  /** The version id the proxy last issued for a write of `key` (bucket-relative path without the bucket). */
  current(key: string): string | undefined;
  close(): Promise<void>;
}

export interface VersioningProxyOptions {
  /** The id to send for the n-th write (1, 2, …); default `ver-<n>`. S3 sends "null" for writes to a suspended bucket. */
  readonly versionFor?: (n: number) => string;
}

/** Bucket and key of a path-style object URL; undefined for bucket-level requests. */
function objectOf(url: URL): { bucket: string; key: string } | undefined {
  const match = /^\/([^/]+)\/(.+)$/.exec(url.pathname);
  return match ? { bucket: match[1]!, key: decodeURIComponent(match[2]!) } : undefined;
}

/**
 * What a versioned bucket adds to a 200 answer: a new id for a PutObject, CopyObject or
 * CompleteMultipartUpload; the id read for a HeadObject or GetObject (the one asked for, else the
 * current one); nothing for parts, tags, listings and other subresources.
 */
function versionHeader(method: string, url: URL, issue: (key: string) => string, current: (key: string) => string | undefined): string | undefined {
  const object = objectOf(url);
  if (!object) return undefined;
  const query = url.searchParams;
  const subresource = [...query.keys()].some((name) => name !== 'versionId' && name !== 'x-id');
  if (method === 'PUT' && !subresource) return issue(object.key);
  if (method === 'POST' && query.has('uploadId')) return issue(object.key);
  if ((method === 'GET' || method === 'HEAD') && !subresource) return query.get('versionId') ?? current(object.key);
  return undefined;
}

/** Starts the proxy on an ephemeral loopback port, forwarding every request and body byte for byte to `target`. */
export async function startVersioningProxy(target: string, options: VersioningProxyOptions = {}): Promise<VersioningProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const versionFor = options.versionFor ?? ((n: number) => `ver-${n}`);
  const latest = new Map<string, string>();
  const requests: ProxiedRequest[] = [];
  let issued = 0;
  const issue = (key: string): string => {
    const id = versionFor(++issued);
    latest.set(key, id);
    return id;
  };

  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    requests.push({ method, url: path });
    // Headers go on unchanged (Host included): the request's SigV4 signature covers them.
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method, path, headers: req.headers, agent }, (answer) => {
      const status = answer.statusCode ?? 502;
      const version = status === 200 ? versionHeader(method, new URL(path, 'http://proxy'), issue, (key) => latest.get(key)) : undefined;
      res.writeHead(status, version === undefined ? answer.headers : { ...answer.headers, 'x-amz-version-id': version });
      answer.pipe(res);
    });
    forward.on('error', (err) => res.destroy(err));
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    current: (key) => latest.get(key),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
