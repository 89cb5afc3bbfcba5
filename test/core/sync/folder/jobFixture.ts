// Shared set-up for the folder job tests: a real vault with a hand-moved clock, sync devices over the real store, and raw S3 reads.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, type HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { createVault, recoverVault, type Vault } from '../../../../main/core/keys/vault/index.js';
import { vaultFileKeys } from '../../../../main/core/sync/folder/vaultFileKeys.js';
import type { JobRunOptions } from '../../../../main/core/sync/folder/folderJob.js';
import { withRetries } from '../../../../main/core/sync/remote/retry.js';
import type { StoreFixture } from '../../../support/storeFixture.js';
import type { SyncDevice } from '../../../support/syncDevice.js';
import { PASSPHRASE, TEST_KDF } from '../../keys/vault/vaultFixture.js';

export const DAY_MS = 86_400_000;

/** A clock tests move by hand; vaults and jobs share it so key ages are exact. */
export class TestClock {
  ms = Date.now();
  readonly now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** The vault through the sync engine's narrow interface, as the agent wires it. */
export const fileKeysOf = vaultFileKeys;

export class VaultDirs {
  private readonly root = mkdtempSync(join(tmpdir(), 'coffer-job-vaults-'));
  private readonly open: Vault[] = [];
  private n = 0;

  async create(clock: TestClock): Promise<{ vault: Vault; recoveryKey: string }> {
    const made = await createVault(join(this.root, `v${++this.n}`), PASSPHRASE, { kdf: TEST_KDF, now: clock.now });
    this.open.push(made.vault);
    return made;
  }

  /** The same user's vault on another machine: no master key until it merges the keyring from the store. */
  async recover(recoveryKey: string, clock: TestClock): Promise<Vault> {
    const vault = await recoverVault(join(this.root, `v${++this.n}`), recoveryKey, PASSPHRASE, { kdf: TEST_KDF, now: clock.now });
    this.open.push(vault);
    return vault;
  }

  cleanup(): void {
    for (const vault of this.open) vault.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function writeFile(device: SyncDevice, path: string, content: string | Buffer): void {
  const file = join(device.root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
}

export function jobRun(extra: Partial<JobRunOptions> = {}): JobRunOptions {
  return { concurrency: 2, retry: (fn) => withRetries(fn, { attempts: 3, baseMs: 20 }), ...extra };
}

/** SSE-C request members for a raw SDK call. */
export function sseC(key: Buffer): { SSECustomerAlgorithm: string; SSECustomerKey: string } {
  return { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.toString('base64') };
}

/** The object's bytes read straight from the store over HTTPS (with its SSE-C key when it has one). */
export async function storedBytes(fixture: StoreFixture, bucket: string, key: string, customerKey?: Buffer): Promise<Buffer> {
  const out = await fixture.https.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(customerKey ? sseC(customerKey) : {}) }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

export async function storedHead(fixture: StoreFixture, bucket: string, key: string, customerKey?: Buffer): Promise<HeadObjectCommandOutput> {
  return fixture.https.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ...(customerKey ? sseC(customerKey) : {}) }));
}

/** The HTTP status a raw HEAD fails with, or 200. */
export async function headStatus(fixture: StoreFixture, bucket: string, key: string, customerKey?: Buffer): Promise<number> {
  try {
    await storedHead(fixture, bucket, key, customerKey);
    return 200;
  } catch (err) {
    return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  }
}

export async function storedTags(fixture: StoreFixture, bucket: string, key: string): Promise<Record<string, string>> {
  const out = await fixture.https.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
  return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key!, t.Value!]));
}
