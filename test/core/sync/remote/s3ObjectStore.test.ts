// The S3 store against the real embedded store: the conformance suite over HTTPS with a pinned certificate, then TLS, SSE-C-over-HTTP, credentials and wire-header checks.
import { X509Certificate, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryUploadLedger } from '../../../../main/core/sync/remote/memoryUploadLedger.js';
import type { ObjectEncryption } from '../../../../main/core/sync/remote/objectStore.js';
import { withRetries } from '../../../../main/core/sync/remote/retry.js';
import { createS3ObjectStore, type S3ObjectStore, type S3ObjectStoreOptions } from '../../../../main/core/sync/remote/s3ObjectStore.js';
import { allAuditRecords, kmsOf } from '../../../support/kmsSupport.js';
import { startStoreFixture, TEST_CREDENTIALS, type StoreFixture } from '../../../support/storeFixture.js';
import { objectStoreSuite } from './objectStoreSuite.js';
import { expectRemoteError, tempDir, type TempDir } from './remoteSupport.js';

/** Counts the requests a client sends per SDK command name. */
function countRequests(client: S3Client): Map<string, number> {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      counts.set(context.commandName ?? '?', (counts.get(context.commandName ?? '?') ?? 0) + 1);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'countRequestsForTest' },
  );
  return counts;
}

/** Records the lower-cased request headers of every request, by command name. */
function recordHeaders(client: S3Client): { command: string; headers: Record<string, string> }[] {
  const seen: { command: string; headers: Record<string, string> }[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { headers: Record<string, string> };
      seen.push({ command: context.commandName ?? '?', headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])) });
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordHeadersForTest', priority: 'low' },
  );
  return seen;
}

function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

objectStoreSuite('S3 over HTTPS against the embedded store', async () => {
  const f = await startStoreFixture();
  const pin = fingerprintOf(f.caCert);
  const cmk = kmsOf(f).createKey({ description: 'conformance suite', alias: 'alias/suite' });
  let uploadParts = 0;
  return {
    kmsKeyId: cmk.keyId,
    openStore({ bucket, prefix = '', ledger = new MemoryUploadLedger(), ...rest }) {
      const store = createS3ObjectStore({
        endpoint: f.httpsUrl, region: 'us-east-1', bucket, prefix, credentials: TEST_CREDENTIALS, forcePathStyle: true, tls: { pinnedSha256: pin }, ledger, ...rest,
      });
      store.client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'UploadPartCommand') uploadParts++;
          return next(args);
        },
        { step: 'finalizeRequest', name: 'countUploadPartsForTest' },
      );
      return store;
    },
    uploadPartsSent: () => uploadParts,
    close: () => f.close(),
  };
});

describe('S3 store: transport, trust and the wire', () => {
  let f: StoreFixture;
  let dir: TempDir;
  const stores: S3ObjectStore[] = [];
  const key = randomBytes(32);
  const sseC: ObjectEncryption = { mode: 'sse-c', key };
  let bucketCounter = 0;

  const open = (overrides: Partial<S3ObjectStoreOptions> = {}, fixture: StoreFixture = f): S3ObjectStore => {
    bucketCounter++;
    const store = createS3ObjectStore({
      endpoint: fixture.httpsUrl, region: 'us-east-1', bucket: `wire-${process.pid}-${bucketCounter}`, prefix: 'folder', credentials: TEST_CREDENTIALS,
      forcePathStyle: true, tls: { caPem: fixture.caCert }, ledger: new MemoryUploadLedger(), ...overrides,
    });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    f = await startStoreFixture();
    dir = tempDir();
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    dir?.remove();
    await f?.close();
  });

  it('describes itself as endpoint/bucket/prefix', () => {
    const store = open({ bucket: 'described', prefix: '/a/b' });
    expect(store.description).toBe(`${f.httpsUrl}/described/a/b/`);
  });

  it('refuses SSE-C over plain HTTP as fatal before sending anything', async () => {
    const store = open({ endpoint: f.httpUrl, tls: undefined });
    const counts = countRequests(store.client);
    const file = dir.file('http', Buffer.from('over http'));
    const refusals: (() => Promise<unknown>)[] = [
      () => store.putBytes('k', Buffer.from('x'), { encryption: sseC }),
      () => store.putFile('k', file, { encryption: sseC, fingerprint: 'k' }),
      () => store.getBytes('k', { encryption: sseC }),
      () => store.getFile('k', `${dir.path}/never`, { encryption: sseC }),
      () => store.head('k', sseC),
      () => store.copy('a', 'b', { encryption: sseC }),
      () => store.copy('a', 'b', { sourceEncryption: sseC, encryption: { mode: 'sse-s3' } }),
    ];
    for (const refusal of refusals) {
      const err = await expectRemoteError(refusal(), 'fatal', 'SseCRequiresHttps');
      expect(err.message).not.toContain(key.toString('base64'));
    }
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(0);
    // Other modes over HTTP are fine.
    await store.ensureBucket();
    await store.putBytes('plain', Buffer.from('fine'), { encryption: { mode: 'sse-s3' } });
    expect((await store.getBytes('plain'))?.body.toString()).toBe('fine');
  });

  it('sends SSE-C over HTTP when allowSseCOverHttp is set (to a store that allows it too)', async () => {
    const lax = await startStoreFixture({ allowInsecureSseC: true });
    try {
      const store = open({ endpoint: lax.httpUrl, tls: undefined, allowSseCOverHttp: true }, lax);
      await store.ensureBucket();
      await store.putBytes('k', Buffer.from('test rig'), { encryption: sseC });
      expect((await store.getBytes('k', { encryption: sseC }))?.body.toString()).toBe('test rig');
      await store.close();
    } finally {
      await lax.close();
    }
  });

  it('accepts exactly the pinned certificate: another pin is fatal and no request reaches the store', async () => {
    const good = open({ tls: { pinnedSha256: fingerprintOf(f.caCert).replace(/:/g, '').toLowerCase() } });
    await good.ensureBucket();
    const recorded = (await allAuditRecords(f)).length;
    const wrongPin = 'ab'.repeat(32);
    const bad = open({ bucket: 'pinned', tls: { pinnedSha256: wrongPin } });
    const err = await expectRemoteError(bad.putBytes('k', Buffer.from('secret'), { encryption: sseC }), 'fatal', 'ERR_TLS_CERT_PIN_MISMATCH');
    expect(err.message).not.toContain(key.toString('base64'));
    expect((await allAuditRecords(f)).length).toBe(recorded);
    expect(() => open({ tls: { pinnedSha256: 'not-hex' } })).toThrow(RangeError);
  });

  it('rejects the self-signed certificate without a CA or pin (fatal), and accepts it with insecure', async () => {
    const strict = open({ tls: {} });
    const err = await expectRemoteError(strict.ensureBucket(), 'fatal');
    expect(err.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
    const lax = open({ tls: { insecure: true } });
    await lax.ensureBucket();
  });

  it('classes wrong credentials as fatal (InvalidAccessKeyId, SignatureDoesNotMatch) without echoing them', async () => {
    const collect = async (store: S3ObjectStore): Promise<void> => {
      for await (const _ of store.list()) void _;
    };
    const unknown = open({ credentials: { accessKeyId: 'NOSUCHKEY00000000000', secretAccessKey: 'x' } });
    await expectRemoteError(collect(unknown), 'fatal', 'InvalidAccessKeyId');
    // HeadBucket answers without a body, so only the status (403) and the class survive.
    await expectRemoteError(unknown.ensureBucket(), 'fatal', 'AccessDenied');
    const wrongSecret = open({ credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong-secret-value' } });
    const err = await expectRemoteError(collect(wrongSecret), 'fatal', 'SignatureDoesNotMatch');
    expect(err.message).not.toContain('wrong-secret-value');
    expect(err.message).not.toContain(TEST_CREDENTIALS.accessKeyId);
  });

  it('classes a refused connection as retriable, which withRetries retries until its attempts run out', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const store = open({ endpoint: `http://127.0.0.1:${port}`, tls: undefined });
    const sleeps: number[] = [];
    let tries = 0;
    const err = await expectRemoteError(
      withRetries(() => {
        tries++;
        return store.ensureBucket();
      }, { attempts: 3, sleep: async (ms) => void sleeps.push(ms), random: () => Buffer.alloc(4, 0xff) }),
      'retriable',
      'ECONNREFUSED',
    );
    expect(err.httpStatus).toBeUndefined();
    expect([tries, sleeps.length]).toEqual([3, 2]);
  });

  it('sends the SSE headers S3 defines on every request of each mode, and a checksum with every upload', async () => {
    const cmk = kmsOf(f).createKey({ description: 'wire' });
    const store = open({ multipartThresholdBytes: 5 * 1024 * 1024, partSizeBytes: 5 * 1024 * 1024 });
    await store.ensureBucket();
    const seen = recordHeaders(store.client);
    const big = dir.file('wire-big', randomBytes(5 * 1024 * 1024 + 1));
    const keyMd5 = (await import('node:crypto')).createHash('md5').update(key).digest('base64');

    await store.putBytes('s3', Buffer.from('a'), { encryption: { mode: 'sse-s3' } });
    await store.putBytes('kms', Buffer.from('b'), { encryption: { mode: 'sse-kms', keyId: cmk.keyId } });
    await store.putFile('c', big, { encryption: sseC, fingerprint: 'c' });
    await store.getBytes('c', { encryption: sseC });
    await store.head('c', sseC);
    await store.copy('c', 'c2', { sourceEncryption: sseC, encryption: { mode: 'sse-kms' } });

    const of = (command: string) => seen.filter((s) => s.command === command).map((s) => s.headers);
    // Small PUTs are signed outside the SDK (path-style stores): what the store recorded of them shows their SSE headers.
    expect(of('PutObjectCommand')).toHaveLength(0);
    const puts = (await allAuditRecords(f)).map((r) => r.event).filter((e) => e.operation === 'PutObject' && e.userAgent === 'coffer-sync');
    expect(puts.find((e) => e.objectKey === 'folder/s3')).toMatchObject({ outcome: 'success', sseMode: 'SSE-S3' });
    expect(puts.find((e) => e.objectKey === 'folder/kms')).toMatchObject({ outcome: 'success', sseMode: 'SSE-KMS', keyId: cmk.arn });
    const sseCTrio = { 'x-amz-server-side-encryption-customer-algorithm': 'AES256', 'x-amz-server-side-encryption-customer-key': key.toString('base64'), 'x-amz-server-side-encryption-customer-key-md5': keyMd5 };
    for (const command of ['CreateMultipartUploadCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand', 'GetObjectCommand', 'HeadObjectCommand']) {
      const requests = of(command);
      expect(requests.length, command).toBeGreaterThan(0);
      for (const headers of requests) {
        expect(headers, command).toMatchObject(sseCTrio);
        expect(headers['x-amz-server-side-encryption'], command).toBeUndefined();
      }
    }
    expect(of('UploadPartCommand')).toHaveLength(2);
    const [copy] = of('CopyObjectCommand');
    expect(copy).toMatchObject({
      'x-amz-copy-source-server-side-encryption-customer-algorithm': 'AES256',
      'x-amz-copy-source-server-side-encryption-customer-key': key.toString('base64'),
      'x-amz-copy-source-server-side-encryption-customer-key-md5': keyMd5,
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-metadata-directive': 'COPY',
    });
    for (const headers of of('UploadPartCommand')) {
      const declared = headers['x-amz-checksum-crc32'] ?? headers['x-amz-trailer'];
      expect(declared).toBeDefined();
    }
  });
});
