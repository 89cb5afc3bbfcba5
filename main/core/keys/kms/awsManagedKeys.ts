// AWS managed keys (`alias/aws/s3`): created on first use per region, rotated yearly, closed to administration.
import { aliasArn, parseKmsArn } from './identifiers.js';
import { recordKmsEvent } from './kmsAudit.js';
import { KmsError } from './kmsError.js';
import { arnOf, type KmsContext } from './kmsContext.js';
import type { KeyRow } from './kmsRepository.js';
import type { KmsActor } from './kmsTypes.js';
import { insertNewKey } from './keyFactory.js';
import { AWS_MANAGED_ROTATION_DAYS } from './schedules.js';

/** The managed keys this KMS knows, with AWS's descriptions (recorded by DescribeKey, S3-SSE.md 3.1). */
export const AWS_MANAGED_KEYS = {
  'aws/s3': 'Default key that protects my S3 objects when no other key is defined',
} as const;

export type AwsManagedKeyName = keyof typeof AWS_MANAGED_KEYS;

/** The managed key an identifier names (`alias/aws/s3` or its alias ARN in this region), if any. */
export function managedKeyNamed(ctx: KmsContext, input: string): AwsManagedKeyName | undefined {
  let aliasName = input;
  if (input.startsWith('arn:')) {
    const arn = parseKmsArn(input);
    if (arn?.kind !== 'alias' || arn.region !== ctx.region || arn.accountId !== ctx.accountId) return undefined;
    aliasName = arn.aliasName;
  }
  const name = aliasName.slice('alias/'.length);
  return aliasName.startsWith('alias/') && Object.hasOwn(AWS_MANAGED_KEYS, name) ? (name as AwsManagedKeyName) : undefined;
}

/**
 * Returns the managed key, creating it and its alias when this region has none yet. Runs in its
 * own write transaction: two processes racing to create it end with one key, because the alias
 * is checked and inserted under the same lock. Must not be called inside another transaction.
 */
export function ensureAwsManagedKey(ctx: KmsContext, name: AwsManagedKeyName, actor?: KmsActor): KeyRow {
  const aliasName = `alias/${name}`;
  const existing = ctx.repo.alias(ctx.region, aliasName);
  const row = existing && ctx.repo.key(existing.keyId);
  if (row) return row;
  const made = { here: false };
  const key = ctx.repo.write(() => {
    const raced = ctx.repo.alias(ctx.region, aliasName);
    const racedRow = raced && ctx.repo.key(raced.keyId);
    if (racedRow) return racedRow;
    const at = ctx.now().getTime();
    const created = insertNewKey(ctx, { description: AWS_MANAGED_KEYS[name], keyManager: 'AWS', rotationPeriodDays: AWS_MANAGED_ROTATION_DAYS }, at);
    ctx.repo.insertAlias({ region: ctx.region, aliasName, keyId: created.keyId, createdAt: at });
    made.here = true;
    return created;
  });
  // Only the process that created the key records it; one that lost the race just uses it.
  if (made.here) {
    const spec = { category: 'admin' as const, eventName: 'CreateKey', actor, eventType: 'AwsServiceEvent' as const, requestParameters: { aliasName } };
    recordKmsEvent(ctx, spec, { keyArn: arnOf(ctx, key), responseElements: { keyId: key.keyId, aliasArn: aliasArn(ctx.region, ctx.accountId, aliasName) } });
  }
  return key;
}

/**
 * AWS managed keys' key policy allows no administration, so AWS answers every such call with
 * AccessDeniedException naming the missing permission; this KMS does the same.
 */
export function assertCustomerManaged(ctx: KmsContext, row: KeyRow, action: string, actor: KmsActor | undefined): void {
  if (row.keyManager === 'CUSTOMER') return;
  throw new KmsError(
    'AccessDeniedException',
    `User: ${actor?.principal ?? 'anonymous'} is not authorized to perform: kms:${action} on resource: ${arnOf(ctx, row)} because no resource-based policy allows the kms:${action} action`,
  );
}
