// What every KMS operation works with: the database, the root key, the caller's region, clock and randomness.
import type { AuditSink } from '../../audit/auditEvent.js';
import type { RandomSource } from '../../crypto/random.js';
import { keyArn } from './identifiers.js';
import { keyDisabled, keyPendingDeletion } from './kmsError.js';
import type { KeyRow, KmsRepository } from './kmsRepository.js';
import type { KeyMetadata } from './kmsTypes.js';

export interface KmsContext {
  readonly repo: KmsRepository;
  /** Seals every key material at rest; never leaves this module. */
  readonly rootKey: Buffer;
  /** The region this instance answers for; keys of other regions in the same file are invisible. */
  readonly region: string;
  /** The store's fixed 12-digit account id, read from the database once (it never changes). */
  readonly accountId: string;
  readonly now: () => Date;
  readonly random: RandomSource;
  readonly audit: AuditSink;
}

export function arnOf(ctx: KmsContext, row: KeyRow): string {
  return keyArn(row.region, ctx.accountId, row.keyId);
}

/** Only Enabled keys may make or open data keys (and rotate on demand). */
export function assertUsable(ctx: KmsContext, row: KeyRow): void {
  if (row.state === 'Disabled') throw keyDisabled(arnOf(ctx, row));
  if (row.state === 'PendingDeletion') throw keyPendingDeletion(arnOf(ctx, row));
}

/** Administration that any key not pending deletion accepts (DisableKey, CreateAlias…). */
export function assertNotPendingDeletion(ctx: KmsContext, row: KeyRow): void {
  if (row.state === 'PendingDeletion') throw keyPendingDeletion(arnOf(ctx, row));
}

export function describeRow(ctx: KmsContext, row: KeyRow): KeyMetadata {
  const current = ctx.repo.currentMaterial(row.keyId);
  // A key is always created together with its first material, in one transaction.
  if (!current) throw new Error(`KMS key ${row.keyId} has no key material`);
  return {
    keyId: row.keyId,
    arn: arnOf(ctx, row),
    accountId: ctx.accountId,
    region: row.region,
    description: row.description,
    creationDate: new Date(row.createdAt),
    keyManager: row.keyManager,
    keyState: row.state,
    enabled: row.state === 'Enabled',
    deletionDate: row.deletionAt === null ? undefined : new Date(row.deletionAt),
    pendingDeletionWindowInDays: row.pendingWindowDays ?? undefined,
    currentKeyMaterialId: current.materialId,
  };
}
