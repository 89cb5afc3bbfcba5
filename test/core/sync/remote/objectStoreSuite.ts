// The conformance suite every ObjectStore passes: the in-memory twin and the S3 store against the real embedded store.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import type { ObjectEncryption, ObjectStore, UploadLedger } from '../../../../main/core/sync/remote/objectStore.js';
import type { Throttle } from '../../../../main/core/sync/remote/throttle.js';
import { tempDir, type TempDir } from './remoteSupport.js';
import { multipartCases } from './suiteMultipartCases.js';
import { objectCases } from './suiteObjectCases.js';
import { transferCases } from './suiteTransferCases.js';

export interface SuiteStoreOptions {
  /** Stores opened with the same bucket name see the same objects and uploads. */
  readonly bucket: string;
  readonly prefix?: string;
  readonly ledger?: UploadLedger;
  readonly multipartThresholdBytes?: number;
  readonly partSizeBytes?: number;
  readonly concurrency?: number;
  readonly throttle?: { up?: Throttle; down?: Throttle };
}

/** What a store implementation gives the suite. */
export interface SuiteTarget {
  openStore(options: SuiteStoreOptions): ObjectStore;
  /** UploadPart requests sent by every store this target opened so far. */
  uploadPartsSent(): number;
  /** A KMS key id the target accepts for sse-kms. */
  readonly kmsKeyId: string;
  close?(): Promise<void>;
}

/** What the cases share; filled in before the first case runs. */
export interface SuiteContext {
  target: SuiteTarget;
  dir: TempDir;
  readonly keyA: Buffer;
  readonly keyB: Buffer;
  /** One encryption per mode, labelled. */
  modes: [string, ObjectEncryption][];
  /** A store on `bucket` (a new one by default) whose bucket is ensured; closed after the case. */
  open(options?: Partial<SuiteStoreOptions>): Promise<ObjectStore>;
  newBucket(): string;
}

let bucketCounter = 0;

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Registers the whole suite under `name`, running `makeTarget` once before its cases. */
export function objectStoreSuite(name: string, makeTarget: () => Promise<SuiteTarget>): void {
  describe(`ObjectStore conformance: ${name}`, () => {
    const opened: ObjectStore[] = [];
    const ctx = {
      keyA: randomBytes(32),
      keyB: randomBytes(32),
      modes: [],
      newBucket() {
        bucketCounter += 1;
        return `suite-${process.pid}-${bucketCounter}`;
      },
      async open(options: Partial<SuiteStoreOptions> = {}) {
        const store = ctx.target.openStore({ bucket: ctx.newBucket(), ...options });
        opened.push(store);
        await store.ensureBucket();
        return store;
      },
    } as unknown as SuiteContext;

    beforeAll(async () => {
      ctx.target = await makeTarget();
      ctx.dir = tempDir();
      ctx.modes = [
        ['sse-s3', { mode: 'sse-s3' }],
        ['sse-kms', { mode: 'sse-kms', keyId: ctx.target.kmsKeyId }],
        ['sse-c', { mode: 'sse-c', key: ctx.keyA }],
      ];
    });
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });
    afterAll(async () => {
      ctx.dir?.remove();
      await ctx.target?.close?.();
    });

    objectCases(ctx);
    transferCases(ctx);
    multipartCases(ctx);
  });
}
