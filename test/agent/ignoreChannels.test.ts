// folders.getIgnore and folders.setIgnore against a real agent and its embedded store: rules saved whole, honoured by the next sync, bad lines refused.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Channel, RequestOf, ResponseOf } from '../../preload/contract.js';
import { AgentCallError, callAgent } from '../../main/agent/control/controlClient.js';
import { createLogger } from '../../main/agent/logger.js';
import { Agent } from '../../main/agent/runtime/agent.js';
import { createVault } from '../../main/core/keys/vault/index.js';
import { isReservedKey } from '../../main/core/sync/folder/remoteLayout.js';
import { DEFAULT_IGNORE_PATTERNS, IGNORE_FILE_NAME, RESERVED_IGNORE_PATTERNS } from '../../main/core/sync/ignoreRules.js';
import { PASSPHRASE, TEST_KDF } from '../core/keys/vault/vaultFixture.js';

let base: string;
let dataDir: string;
let folder: string;
let agent: Agent;
let s3: S3Client;
let folderId: string;
let bucket: string;

function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  return callAgent({ apiUrl: agent.apiUrl, token: readFileSync(join(dataDir, 'agent.token'), 'utf8').trim() }, channel, request);
}

/** The folder's files as the store holds them (Coffer's own records left out). */
async function storedKeys(): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((o) => o.Key!).filter((key) => !isReservedKey(key)).sort();
}

async function refusal(promise: Promise<unknown>): Promise<AgentCallError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AgentCallError);
  return err as AgentCallError;
}

const ignoreFile = (): string => join(folder, IGNORE_FILE_NAME);

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'coffer-ignore-'));
  dataDir = join(base, 'data');
  folder = join(base, 'folder');
  mkdirSync(dataDir);
  // No watcher and no poll: only the cycles the test (or setIgnore) starts run.
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ deviceName: 'laptop', watch: false, remotePollSeconds: 3600 }));
  (await createVault(dataDir, PASSPHRASE, { kdf: TEST_KDF })).vault.close();
  agent = await Agent.start({ dataDir, storePort: 0, storeHttpsPort: 0, apiPort: 0, env: { COFFER_PASSPHRASE: PASSPHRASE }, logger: createLogger('silent') });
  const added = await call('folders.add', { localPath: folder, mode: 'sse-s3' });
  folderId = added.id;
  bucket = added.bucket;
  const store = agent.store!;
  s3 = new S3Client({ endpoint: store.running.httpUrl, region: store.running.services.options.region, forcePathStyle: true, credentials: store.credentials });
});
afterAll(async () => {
  s3?.destroy();
  await agent?.stop();
  rmSync(base, { recursive: true, force: true });
});

describe('the ignore channels', () => {
  it('give an empty text and the patterns that apply besides it while the folder has no .cofferignore', async () => {
    expect(existsSync(ignoreFile())).toBe(false);
    expect(await call('folders.getIgnore', { folderId })).toEqual({ text: '', defaults: [...DEFAULT_IGNORE_PATTERNS], reserved: [...RESERVED_IGNORE_PATTERNS] });
  });

  it('save the rules, and the sync they start leaves an ignored file out of the store', async () => {
    await call('folders.syncNow', { folderId });
    writeFileSync(join(folder, 'keep.txt'), 'kept');
    writeFileSync(join(folder, 'debug.log'), 'noise');
    mkdirSync(join(folder, 'build'));
    writeFileSync(join(folder, 'build', 'out.bin'), 'generated');
    const text = '# generated files\r\nbuild/\n*.log\n';
    const saved = await call('folders.setIgnore', { folderId, text });
    expect(saved.text).toBe(text);
    expect(readFileSync(ignoreFile(), 'utf8')).toBe(text);
    expect(readdirSync(folder).filter((name) => name.startsWith('.coffer-tmp-'))).toEqual([]);
    expect(await call('folders.getIgnore', { folderId })).toMatchObject({ text });
    // setIgnore starts a cycle by itself: keep.txt arrives without a sync-now.
    await vi.waitFor(async () => expect(await storedKeys()).toContain('keep.txt'), { timeout: 20_000, interval: 100 });
    await call('folders.syncNow', { folderId });
    expect(await storedKeys()).toEqual([IGNORE_FILE_NAME, 'keep.txt']);
  });

  it('let a file sync once its rule is gone', async () => {
    await call('folders.setIgnore', { folderId, text: 'build/\n' });
    await call('folders.syncNow', { folderId });
    expect(await storedKeys()).toEqual([IGNORE_FILE_NAME, 'debug.log', 'keep.txt']);
  });

  it('refuse a bad pattern with its line and reason, leaving the file as it was', async () => {
    const before = readFileSync(ignoreFile(), 'utf8');
    const cases: [string, RegExp][] = [
      ['*.log\nbuild/\nreport[0-9.txt\n', /^line 3: a '\[' is never closed$/],
      ['[z-a]*\n', /^line 1: the range z-a is out of order$/],
      ['# fine\n\n[[:letter:]]*\n', /^line 3: \[:letter:\] is not a character class$/],
      ['ok\nends-with\\', /^line 2: it ends with a lone/],
      ['docs//draft\n', /^line 1: it has an empty path part/],
      ['!\n', /^line 1: the pattern is empty/],
    ];
    for (const [text, message] of cases) {
      const err = await refusal(call('folders.setIgnore', { folderId, text }));
      expect(err.code, text).toBe('InvalidIgnoreRule');
      expect(err.message, text).toMatch(message);
    }
    expect(readFileSync(ignoreFile(), 'utf8')).toBe(before);
  });

  it('refuse a folder the agent does not have', async () => {
    const missing = 'f0000000-0000-0000-0000-000000000000';
    expect((await refusal(call('folders.getIgnore', { folderId: missing }))).code).toBe('NoSuchFolder');
    expect((await refusal(call('folders.setIgnore', { folderId: missing, text: '*.log\n' }))).code).toBe('NoSuchFolder');
  });
});
