// The `coffer store` command as a user runs it, driven by aws cli: its own TLS certificate, env credentials, restart on the same data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI, MiB, createClientSandbox, keyMd5Base64, type ClientSandbox } from '../support/clientSandbox.js';
import { spawnStore, type StoreProcess } from '../support/storeProcess.js';
import { describeRun, runTool, type ToolResult } from '../support/runTool.js';
import { TEST_CREDENTIALS } from '../support/storeFixture.js';

const SLOW = { timeout: 600_000 };

let box: ClientSandbox;
let dataDir: string;
let running: StoreProcess | undefined;
let key: Buffer;
let keyFile: string;
let body: Buffer;

function storeEnv(): Record<string, string> {
  return {
    ...box.baseEnv(),
    COFFER_ACCESS_KEY: TEST_CREDENTIALS.accessKeyId,
    COFFER_SECRET_KEY: TEST_CREDENTIALS.secretAccessKey,
  };
}

async function aws(store: StoreProcess, endpoint: 'http' | 'https', args: readonly string[]): Promise<ToolResult> {
  const target = endpoint === 'https' ? ['--endpoint-url', store.httpsUrl!, '--ca-bundle', store.certFile!] : ['--endpoint-url', store.httpUrl];
  const result = await runTool(AWS_CLI, [...target, '--output', 'json', ...args], { env: box.awsEnv(), cwd: box.dir, redact: [key.toString('base64')] });
  expect(result.code, describeRun(result)).toBe(0);
  return result;
}

async function restart(): Promise<StoreProcess> {
  const store = await spawnStore(['--data-dir', dataDir, '--port', '0', '--https-port', '0', '--log-level', 'warn'], storeEnv(), { inheritEnv: false });
  running = store;
  return store;
}

async function stop(store: StoreProcess): Promise<void> {
  const code = await store.stop();
  running = undefined;
  expect(code, store.output()).toBe(0);
  expect(store.output()).toMatch(/^Stopped\.$/m);
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'coffer-cli-store-'));
  box = createClientSandbox('');
  ({ data: key, path: keyFile } = box.randomFile('key.bin', 32));
  body = box.randomFile('up/nine', 9 * MiB).data;
});

afterAll(async () => {
  await running?.stop();
  box?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('coffer store (the CLI) with aws cli', () => {
  it('serves SSE-S3 over HTTP and SSE-C over HTTPS with the certificate it printed, and keeps both across a restart', SLOW, async () => {
    const first = await restart();
    expect(first.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(first.certFile).toBe(join(dataDir, 'tls', 'cert.pem'));
    expect(first.output()).toMatch(`Access key: ${TEST_CREDENTIALS.accessKeyId}`);
    expect(first.output()).not.toMatch(TEST_CREDENTIALS.secretAccessKey);

    await aws(first, 'https', ['s3', 'mb', 's3://cli-store']);
    await aws(first, 'http', ['s3', 'cp', box.path('up/nine'), 's3://cli-store/managed', '--sse', 'AES256', '--only-show-errors']);
    await aws(first, 'https', ['s3', 'cp', box.path('up/nine'), 's3://cli-store/customer', '--sse-c', 'AES256', '--sse-c-key', `fileb://${keyFile}`, '--only-show-errors']);
    await stop(first);

    // Same data dir: same root key, same certificate (new ports), same objects.
    const second = await restart();
    expect(second.fingerprint).toBe(first.fingerprint);
    const head = JSON.parse(
      (await aws(second, 'https', ['s3api', 'head-object', '--bucket', 'cli-store', '--key', 'customer', '--sse-customer-algorithm', 'AES256', '--sse-customer-key', `fileb://${keyFile}`])).stdout,
    ) as Record<string, unknown>;
    expect(head.SSECustomerKeyMD5).toBe(keyMd5Base64(key));
    await aws(second, 'http', ['s3', 'cp', 's3://cli-store/managed', box.path('down/managed'), '--only-show-errors']);
    await aws(second, 'https', ['s3', 'cp', 's3://cli-store/customer', box.path('down/customer'), '--sse-c', 'AES256', '--sse-c-key', `fileb://${keyFile}`, '--only-show-errors']);
    expect(box.read('down/managed').equals(body)).toBe(true);
    expect(box.read('down/customer').equals(body)).toBe(true);
    await stop(second);
  });
});
