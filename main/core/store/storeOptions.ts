// The embedded store's settings, as the CLI and tests pass them in.
import type { Credentials } from './auth/credentials.js';

export interface StoreOptions {
  /** Holds store.db, blobs/, root.key, credentials and the TLS certificate. */
  dataDir: string;
  /** The region the store answers as (GetBucketLocation, error texts). */
  region: string;
  credentials: readonly Credentials[];
  /** Accept SSE-C over plain HTTP: only for test rigs (S3-SSE.md 4.2). */
  allowInsecureSseC: boolean;
  /** Host names under which `<bucket>.<domain>` is virtual-hosted-style addressing. */
  virtualHostDomains: readonly string[];
  /** Rotate the SSE-S3 master key when its newest version is older than this. */
  masterKeyRotationDays: number;
  /** The store root key (see keys/rootKey.ts). */
  rootKey: Buffer;
  /**
   * New buckets refuse SSE-C writes until unblocked, as AWS creates them since April 2026
   * (S3-SSE.md 7.4). Off by default here: the embedded store's SSE-C callers are Coffer itself.
   */
  blockSseCOnNewBuckets?: boolean;
  /** Prune access-history events older than this many days, daily (a signed checkpoint keeps the chain verifiable). */
  auditRetentionDays?: number;
  /** Keep the access history (audit.db); default true. Off only for measurements and tools. */
  auditLog?: boolean;
  /** Write large blobs with O_DIRECT where the file system takes it; default true (see storage/directFileSink.ts). */
  directIo?: boolean;
  /**
   * Remove blob files no row names, at open (default true). Only the services that serve
   * requests may: a second opener of a running store's files (the agent's key and history
   * calls beside its store thread) would delete the blobs of uploads still in flight.
   */
  sweepOrphanBlobs?: boolean;
}

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ROTATION_DAYS = 90;
export const DEFAULT_VIRTUAL_HOST_DOMAINS = ['s3.localhost', 'localhost'] as const;
