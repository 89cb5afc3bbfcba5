// Key lifecycle administration: CreateKey, EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion, and the reads.
import { assertCustomerAliasName } from './aliasName.js';
import { assertAliasFree } from './aliasAdmin.js';
import { assertCustomerManaged } from './awsManagedKeys.js';
import { aliasArn } from './identifiers.js';
import { insertNewKey } from './keyFactory.js';
import { findKey } from './keyResolver.js';
import { audited, recordKmsEvent, type AuditSpec } from './kmsAudit.js';
import { arnOf, assertNotPendingDeletion, describeRow, type KmsContext } from './kmsContext.js';
import { keyNotPendingDeletion, keyPendingDeletion } from './kmsError.js';
import type { KeyListEntry, KeyMetadata, KmsActor, ScheduledDeletion } from './kmsTypes.js';
import { DEFAULT_PENDING_WINDOW_DAYS, addDays, assertDescription, assertPendingWindow } from './schedules.js';

const admin = (eventName: string, actor: KmsActor | undefined, requestParameters: Record<string, unknown>): AuditSpec => ({
  category: 'admin',
  eventName,
  actor,
  requestParameters,
});

/**
 * A symmetric encryption key, Enabled, with automatic rotation off (AWS's defaults). With `alias`,
 * the alias is created in the same transaction, so a taken or invalid alias leaves no key behind;
 * the two administrations are then recorded as CreateKey and CreateAlias.
 */
export function createKey(ctx: KmsContext, input: { description?: string; alias?: string }, actor?: KmsActor): KeyMetadata {
  const description = input.description ?? '';
  const { alias } = input;
  const spec = admin('CreateKey', actor, { description, keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS' });
  const created = audited(ctx, spec, (note) => {
    assertDescription(description);
    if (alias !== undefined) assertCustomerAliasName(alias);
    const row = ctx.repo.write(() => {
      if (alias !== undefined) assertAliasFree(ctx, alias);
      const at = ctx.now().getTime();
      const key = insertNewKey(ctx, { description, keyManager: 'CUSTOMER' }, at);
      if (alias !== undefined) ctx.repo.insertAlias({ region: ctx.region, aliasName: alias, keyId: key.keyId, createdAt: at });
      return key;
    });
    const metadata = describeRow(ctx, row);
    note.keyArn = metadata.arn;
    note.responseElements = { keyMetadata: { keyId: metadata.keyId, arn: metadata.arn, keyState: metadata.keyState, keyManager: metadata.keyManager } };
    return metadata;
  });
  if (alias !== undefined) {
    recordKmsEvent(ctx, admin('CreateAlias', actor, { aliasName: alias, targetKeyId: created.keyId }), {
      keyArn: created.arn,
      responseElements: { aliasArn: aliasArn(ctx.region, ctx.accountId, alias) },
    });
  }
  return created;
}

/** Any state; aliases, ARNs and ids all work. */
export function describeKey(ctx: KmsContext, keyId: string): KeyMetadata {
  return describeRow(ctx, findKey(ctx, keyId));
}

/** Customer and AWS managed keys of this region, oldest first. */
export function listKeys(ctx: KmsContext): KeyListEntry[] {
  return ctx.repo.keysInRegion(ctx.region).map((row) => ({ keyId: row.keyId, keyArn: arnOf(ctx, row) }));
}

function setEnabled(ctx: KmsContext, keyId: string, enabled: boolean, actor: KmsActor | undefined): void {
  const action = enabled ? 'EnableKey' : 'DisableKey';
  audited(ctx, admin(action, actor, { keyId }), (note) =>
    ctx.repo.write(() => {
      const row = findKey(ctx, keyId);
      note.keyArn = arnOf(ctx, row);
      assertCustomerManaged(ctx, row, action, actor);
      assertNotPendingDeletion(ctx, row);
      ctx.repo.setState(row.keyId, enabled ? 'Enabled' : 'Disabled');
    }),
  );
}

/** Disabled → Enabled; enabling an Enabled key is accepted and changes nothing. */
export function enableKey(ctx: KmsContext, keyId: string, actor?: KmsActor): void {
  setEnabled(ctx, keyId, true, actor);
}

/** Enabled → Disabled at once: the next GenerateDataKey or Decrypt fails with DisabledException. */
export function disableKey(ctx: KmsContext, keyId: string, actor?: KmsActor): void {
  setEnabled(ctx, keyId, false, actor);
}

/**
 * Enabled or Disabled → PendingDeletion, unusable at once. runDueWork deletes the key, its
 * materials and aliases once `pendingWindowInDays` (7-30, default 30) have passed.
 */
export function scheduleKeyDeletion(ctx: KmsContext, input: { keyId: string; pendingWindowInDays?: number }, actor?: KmsActor): ScheduledDeletion {
  const days = input.pendingWindowInDays ?? DEFAULT_PENDING_WINDOW_DAYS;
  return audited(ctx, admin('ScheduleKeyDeletion', actor, { keyId: input.keyId, pendingWindowInDays: days }), (note) => {
    assertPendingWindow(days);
    const result = ctx.repo.write(() => {
      const row = findKey(ctx, input.keyId);
      note.keyArn = arnOf(ctx, row);
      assertCustomerManaged(ctx, row, 'ScheduleKeyDeletion', actor);
      if (row.state === 'PendingDeletion') throw keyPendingDeletion(note.keyArn);
      const deletionAt = addDays(ctx.now().getTime(), days);
      ctx.repo.setState(row.keyId, 'PendingDeletion', deletionAt, days);
      return { keyId: note.keyArn, deletionDate: new Date(deletionAt), keyState: 'PendingDeletion' as const, pendingWindowInDays: days };
    });
    note.responseElements = { keyId: result.keyId, deletionDate: result.deletionDate.toISOString(), keyState: result.keyState, pendingWindowInDays: days };
    return result;
  });
}

/** PendingDeletion → Disabled (not Enabled: AWS makes the owner re-enable it deliberately). */
export function cancelKeyDeletion(ctx: KmsContext, keyId: string, actor?: KmsActor): { keyId: string } {
  return audited(ctx, admin('CancelKeyDeletion', actor, { keyId }), (note) =>
    ctx.repo.write(() => {
      const row = findKey(ctx, keyId);
      note.keyArn = arnOf(ctx, row);
      assertCustomerManaged(ctx, row, 'CancelKeyDeletion', actor);
      if (row.state !== 'PendingDeletion') throw keyNotPendingDeletion(note.keyArn);
      ctx.repo.setState(row.keyId, 'Disabled');
      note.responseElements = { keyId: note.keyArn };
      return { keyId: note.keyArn };
    }),
  );
}
