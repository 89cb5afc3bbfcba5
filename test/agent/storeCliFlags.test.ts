// `coffer store` options run end to end in a real child process: SSE-C over HTTP, scheduled key rotation, --host, --region, and logs free of secrets.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presignedGetUrl, recordSignatures } from '../support/clientSignatures.js';
import { runCoffer } from '../support/cofferCli.js';
import { ageNewestMasterKey, listedMasterKeys, sealedMasterKeyVersion } from '../support/keyringAging.js';
import { whoAnswers } from '../support/listenerProbe.js';
import { bodyOf, copySourceSseC, customerKey, expectS3Error, md5Hex, patternBytes, sseC } from '../support/s3Expect.js';
import { spawnStore, type StoreProcess } from '../support/storeProcess.js';

const CREDS = { accessKeyId: 'FLAGSTESTKEY01', secretAccessKey: 'flags-test-secret-7f3a9c2e5b' };
/** Credentials from the environment (never printed), the root key from the data dir's root.key. */
const ENV = { COFFER_ACCESS_KEY: CREDS.accessKeyId, COFFER_SECRET_KEY: CREDS.secretAccessKey, COFFER_STORE_ROOT_KEY: '' };
const DAY_MS = 86_400_000;
const INSECURE_SSE_C = 'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.';
const WRONG_SSE_C_KEY = 'Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.';

let dataDir: string;
let stores: StoreProcess[] = [];
let clients: S3Client[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'coffer-flags-'));
});

afterEach(async () => {
  for (const c of clients) c.destroy();
  await Promise.all(stores.map((s) => s.stop('SIGKILL')));
  stores = [];
  clients = [];
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(args: readonly string[]): Promise<StoreProcess> {
  const store = await spawnStore(['--data-dir', dataDir, '--port', '0', ...args], ENV);
  stores.push(store);
  return store;
}

/** A clean Ctrl-C: the store must exit 0 before its files are touched. */
async function stop(store: StoreProcess): Promise<void> {
  expect(await store.stop(), store.stderr()).toBe(0);
}

function client(endpoint: string, options: { region?: string; ca?: string; credentials?: typeof CREDS } = {}): S3Client {
  const c = new S3Client({
    endpoint,
    region: options.region ?? 'us-east-1',
    forcePathStyle: true,
    credentials: options.credentials ?? CREDS,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: options.ca }) }),
  });
  clients.push(c);
  return c;
}

function certOf(store: StoreProcess): string {
  return readFileSync(store.certFile!, 'utf8');
}

describe('coffer store options', () => {
  it('--allow-insecure-sse-c: SSE-C over plain HTTP is refused without it, and served with the right key only with it', async () => {
    const key = customerKey();
    const wrong = customerKey();
    const body = patternBytes(150_000, 11);
    let store = await start(['--https-port', '0']);
    let plain = client(store.httpUrl);
    const tls = client(store.httpsUrl!, { ca: certOf(store) });
    await plain.send(new CreateBucketCommand({ Bucket: 'ssec' }));
    await expectS3Error(plain.send(new PutObjectCommand({ Bucket: 'ssec', Key: 'doc', Body: body, ...sseC(key) })), {
      code: 'InvalidRequest',
      status: 400,
      message: INSECURE_SSE_C,
    });
    expect((await plain.send(new ListObjectsV2Command({ Bucket: 'ssec' }))).KeyCount).toBe(0);
    // The refusal is about the transport: the same key is accepted over HTTPS, and still refused on a plain read.
    await tls.send(new PutObjectCommand({ Bucket: 'ssec', Key: 'over-tls', Body: body, ...sseC(key) }));
    await expectS3Error(plain.send(new GetObjectCommand({ Bucket: 'ssec', Key: 'over-tls', ...sseC(key) })), { code: 'InvalidRequest', status: 400, message: INSECURE_SSE_C });
    await stop(store);

    store = await start(['--no-https', '--allow-insecure-sse-c']);
    expect(store.stdout.join('\n')).toContain('WARNING: SSE-C is accepted over plain HTTP (--allow-insecure-sse-c)');
    plain = client(store.httpUrl);
    await plain.send(new PutObjectCommand({ Bucket: 'ssec', Key: 'doc', Body: body, ...sseC(key) }));
    for (const name of ['doc', 'over-tls']) {
      expect((await bodyOf(await plain.send(new GetObjectCommand({ Bucket: 'ssec', Key: name, ...sseC(key) })))).equals(body)).toBe(true);
    }
    await expectS3Error(plain.send(new GetObjectCommand({ Bucket: 'ssec', Key: 'doc', ...sseC(wrong) })), { code: 'AccessDenied', status: 403, message: WRONG_SSE_C_KEY });
    await expectS3Error(plain.send(new HeadObjectCommand({ Bucket: 'ssec', Key: 'doc', ...sseC(wrong) })), { code: 'Unknown', status: 403 });
  });

  it('--master-key-rotation-days: a newest version older than N days is rotated at start, a younger one is not', async () => {
    const first = patternBytes(70_000, 21);
    let store = await start(['--no-https']);
    let s3 = client(store.httpUrl);
    await s3.send(new CreateBucketCommand({ Bucket: 'rot' }));
    await s3.send(new PutObjectCommand({ Bucket: 'rot', Key: 'before', Body: first, ServerSideEncryption: 'AES256' }));
    await stop(store);
    expect((await listedMasterKeys(dataDir)).map((v) => v.version)).toEqual([1]);

    ageNewestMasterKey(dataDir, 8 * DAY_MS);
    const restartedAt = Date.now();
    store = await start(['--no-https', '--master-key-rotation-days', '7']);
    const rotated = await listedMasterKeys(dataDir);
    expect(rotated.map((v) => v.version)).toEqual([1, 2]);
    expect(rotated[1]!.createdAt).toBeGreaterThanOrEqual(restartedAt);
    expect(store.stderr()).toContain('store master key rotated on schedule');
    s3 = client(store.httpUrl);
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: 'rot', Key: 'before' })))).equals(first)).toBe(true);
    await s3.send(new PutObjectCommand({ Bucket: 'rot', Key: 'after', Body: 'sealed by the new version', ServerSideEncryption: 'AES256' }));
    expect([sealedMasterKeyVersion(dataDir, 'before'), sealedMasterKeyVersion(dataDir, 'after')]).toEqual([1, 2]);
    await stop(store);

    // A restart with the version still young adds nothing.
    await stop(await start(['--no-https', '--master-key-rotation-days', '7']));
    expect((await listedMasterKeys(dataDir)).map((v) => v.version)).toEqual([1, 2]);

    // Six days old: under a 7-day period it stays, under a 5-day period it is rotated.
    ageNewestMasterKey(dataDir, 6 * DAY_MS);
    await stop(await start(['--no-https', '--master-key-rotation-days', '7']));
    expect((await listedMasterKeys(dataDir)).map((v) => v.version)).toEqual([1, 2]);
    store = await start(['--no-https', '--master-key-rotation-days', '5']);
    expect((await listedMasterKeys(dataDir)).map((v) => v.version)).toEqual([1, 2, 3]);
    s3 = client(store.httpUrl);
    expect((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: 'rot', Key: 'before' })))).equals(first)).toBe(true);
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'rot', Key: 'after' }))).Body!.transformToString()).toBe('sealed by the new version');
  }, 180_000);

  it('--master-key-rotation-days: 0, -1, x and 5000 are refused with a clear message before anything starts', async () => {
    const cases: [string, RegExp][] = [
      ['0', />= ?1\b/],
      ['-1', />= ?1\b/],
      ['x', /expected number/],
      ['5000', /<= ?3650\b/],
    ];
    const storeDir = join(dataDir, 'never-created');
    for (const [value, reason] of cases) {
      for (const form of [['--master-key-rotation-days', value], [`--master-key-rotation-days=${value}`]]) {
        const result = await runCoffer(['store', '--data-dir', storeDir, '--port', '0', '--no-https', ...form], ENV);
        expect(result.code, `${form.join(' ')}: ${result.stderr}`).toBe(1);
        expect(result.stderr).toMatch(/--master-key-rotation-days: /);
        expect(result.stderr).toMatch(reason);
        expect(result.stderr).not.toMatch(/\n\s+at /);
        expect(result.stdout).not.toContain('Press Ctrl-C to stop.');
      }
    }
    expect(existsSync(storeDir)).toBe(false);
  }, 120_000);

  it('--host: listens on 127.0.0.2 only, names it in the endpoints and in its certificate', async () => {
    const store = await start(['--host', '127.0.0.2', '--https-port', '0']);
    expect(store.httpUrl).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
    expect(store.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.2:\d+$/);
    const plain = client(store.httpUrl);
    await plain.send(new CreateBucketCommand({ Bucket: 'hosted' }));
    // Default certificate checks: the self-signed certificate must name the address it is served on.
    const tls = client(store.httpsUrl!, { ca: certOf(store) });
    expect((await tls.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual(['hosted']);
    for (const url of [store.httpUrl, store.httpsUrl!]) {
      expect(await whoAnswers(url, '127.0.0.2')).toBe('coffer');
      // Nothing of the store's on 127.0.0.1 (another program could in principle hold that port there; it is not the store).
      expect(await whoAnswers(url, '127.0.0.1')).not.toBe('coffer');
    }
  });

  it('--region: answers as eu-west-3 and refuses requests signed for another region as S3 does', async () => {
    const store = await start(['--no-https', '--region', 'eu-west-3']);
    expect(store.stdout.join('\n')).toContain('Region: eu-west-3');
    const paris = client(store.httpUrl, { region: 'eu-west-3' });
    await paris.send(new CreateBucketCommand({ Bucket: 'paris', CreateBucketConfiguration: { LocationConstraint: 'eu-west-3' } }));
    expect((await paris.send(new GetBucketLocationCommand({ Bucket: 'paris' }))).LocationConstraint).toBe('eu-west-3');
    expect((await paris.send(new HeadBucketCommand({ Bucket: 'paris' }))).BucketRegion).toBe('eu-west-3');
    await paris.send(new PutObjectCommand({ Bucket: 'paris', Key: 'k', Body: 'bonjour' }));
    expect(await (await paris.send(new GetObjectCommand({ Bucket: 'paris', Key: 'k' }))).Body!.transformToString()).toBe('bonjour');

    // S3 answers a credential scope naming the wrong region with 400 AuthorizationHeaderMalformed and the right region.
    const virginia = client(store.httpUrl, { region: 'us-east-1' });
    const wrongRegion = {
      code: 'AuthorizationHeaderMalformed',
      status: 400,
      message: "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-3'",
    };
    const err = await expectS3Error(virginia.send(new PutObjectCommand({ Bucket: 'paris', Key: 'from-virginia', Body: 'x' })), wrongRegion);
    expect((err as unknown as { Region?: string }).Region).toBe('eu-west-3');
    await expectS3Error(virginia.send(new GetObjectCommand({ Bucket: 'paris', Key: 'k' })), wrongRegion);
    expect((await paris.send(new ListObjectsV2Command({ Bucket: 'paris' }))).Contents?.map((o) => o.Key)).toEqual(['k']);
  });

  it.each(['trace', 'debug'])('--log-level %s: request logs carry no secret', async (level) => {
    const keyA = customerKey();
    const keyB = customerKey();
    const wrongKey = customerKey();
    const badSecret = 'not-the-flags-secret-41d8cd98';
    const store = await start(['--https-port', '0', '--log-level', level]);
    const tls = client(store.httpsUrl!, { ca: certOf(store) });
    const plain = client(store.httpUrl);
    const forger = client(store.httpUrl, { credentials: { accessKeyId: CREDS.accessKeyId, secretAccessKey: badSecret } });
    const signatures = [tls, plain, forger].map((c) => recordSignatures(c));

    const body = patternBytes(90_000, 5);
    await plain.send(new CreateBucketCommand({ Bucket: 'logs' }));
    await tls.send(new PutObjectCommand({ Bucket: 'logs', Key: 'secret', Body: body, ...sseC(keyA) }));
    expect((await bodyOf(await tls.send(new GetObjectCommand({ Bucket: 'logs', Key: 'secret', ...sseC(keyA) })))).equals(body)).toBe(true);
    await tls.send(new HeadObjectCommand({ Bucket: 'logs', Key: 'secret', ...sseC(keyA) }));
    await tls.send(new CopyObjectCommand({ Bucket: 'logs', Key: 'copy', CopySource: 'logs/secret', ...copySourceSseC(keyA), ...sseC(keyB) }));
    expect((await bodyOf(await tls.send(new GetObjectCommand({ Bucket: 'logs', Key: 'copy', ...sseC(keyB) })))).equals(body)).toBe(true);
    await expectS3Error(tls.send(new GetObjectCommand({ Bucket: 'logs', Key: 'secret', ...sseC(wrongKey) })), { code: 'AccessDenied', status: 403 });
    await expectS3Error(tls.send(new CopyObjectCommand({ Bucket: 'logs', Key: 'copy2', CopySource: 'logs/copy', ...copySourceSseC(wrongKey) })), {
      code: 'AccessDenied',
      status: 403,
    });
    await expectS3Error(forger.send(new ListObjectsV2Command({ Bucket: 'logs' })), { code: 'SignatureDoesNotMatch', status: 403 });
    await plain.send(new PutObjectCommand({ Bucket: 'logs', Key: 'shared', Body: 'shared by link' }));
    const link = await presignedGetUrl(store.httpUrl, 'logs', 'shared', { credentials: CREDS, region: 'us-east-1' });
    const fetched = await fetch(link);
    expect({ status: fetched.status, text: await fetched.text() }).toEqual({ status: 200, text: 'shared by link' });
    await stop(store);

    const output = store.output();
    // The log saw these requests (so its silence about secrets means something).
    const requests = output.split('\n').filter((line) => line.includes('"msg":"request"'));
    expect(requests.length).toBeGreaterThanOrEqual(11);
    for (const seen of ['"operation":"CopyObject"', '"operation":"HeadObject"', '"errorCode":"SignatureDoesNotMatch"', '"errorCode":"AccessDenied"']) {
      expect(requests.some((line) => line.includes(seen)), seen).toBe(true);
    }

    const rootKeyText = readFileSync(join(dataDir, 'root.key'), 'utf8').trim();
    const rootKey = Buffer.from(rootKeyText, 'base64');
    expect(rootKey.length).toBe(32);
    const secrets: [string, string][] = [
      ['secret access key', CREDS.secretAccessKey],
      ['forged secret', badSecret],
      ['root key (file text)', rootKeyText],
      ['root key (hex)', rootKey.toString('hex')],
      ['root key (base64url)', rootKey.toString('base64url')],
      ['presigned X-Amz-Signature', link.searchParams.get('X-Amz-Signature')!],
      ...[keyA, keyB, wrongKey].flatMap((k, i): [string, string][] => [
        [`customer key ${i} (base64)`, k.base64],
        [`customer key ${i} (hex)`, k.raw.toString('hex')],
        [`customer key ${i} MD5 (base64)`, k.md5],
        [`customer key ${i} MD5 (hex)`, md5Hex(k.raw)],
      ]),
      ...signatures.flat().map((s, i): [string, string] => [`Authorization signature ${i}`, s]),
    ];
    expect(signatures.flat().length).toBeGreaterThanOrEqual(10);
    expect(secrets.filter(([, value]) => output.includes(value)).map(([name]) => name)).toEqual([]);
  });
});
