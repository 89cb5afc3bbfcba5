// Aliases: CreateAlias, DeleteAlias and ListAliases, one namespace per region as in AWS.
import { assertCustomerAliasName } from './aliasName.js';
import { AWS_MANAGED_KEYS, assertCustomerManaged } from './awsManagedKeys.js';
import { aliasArn } from './identifiers.js';
import { findAliasTarget, findKey } from './keyResolver.js';
import { audited } from './kmsAudit.js';
import { arnOf, assertNotPendingDeletion, type KmsContext } from './kmsContext.js';
import { KmsError, aliasNotFound } from './kmsError.js';
import type { AliasListEntry, KmsActor } from './kmsTypes.js';

/** AlreadyExistsException when this region already has the alias (whatever key it names). */
export function assertAliasFree(ctx: KmsContext, aliasName: string): void {
  if (ctx.repo.alias(ctx.region, aliasName)) {
    throw new KmsError('AlreadyExistsException', `An alias with the name ${aliasArn(ctx.region, ctx.accountId, aliasName)} already exists`);
  }
}

/**
 * Points a new alias at a customer managed key (by key id or key ARN, never another alias) that is
 * Enabled or Disabled. The name is checked first: `alias/` prefix, AWS's characters, not `alias/aws/`.
 */
export function createAlias(ctx: KmsContext, input: { aliasName: string; targetKeyId: string }, actor?: KmsActor): void {
  const spec = { category: 'admin' as const, eventName: 'CreateAlias', actor, requestParameters: { aliasName: input.aliasName, targetKeyId: input.targetKeyId } };
  audited(ctx, spec, (note) => {
    assertCustomerAliasName(input.aliasName);
    ctx.repo.write(() => {
      assertAliasFree(ctx, input.aliasName);
      const row = findAliasTarget(ctx, input.targetKeyId);
      note.keyArn = arnOf(ctx, row);
      assertCustomerManaged(ctx, row, 'CreateAlias', actor);
      assertNotPendingDeletion(ctx, row);
      ctx.repo.insertAlias({ region: ctx.region, aliasName: input.aliasName, keyId: row.keyId, createdAt: ctx.now().getTime() });
    });
    note.responseElements = { aliasArn: aliasArn(ctx.region, ctx.accountId, input.aliasName) };
  });
}

/** Removes the alias only; the key it named is untouched, in any state. */
export function deleteAlias(ctx: KmsContext, aliasName: string, actor?: KmsActor): void {
  audited(ctx, { category: 'admin', eventName: 'DeleteAlias', actor, requestParameters: { aliasName } }, (note) => {
    assertCustomerAliasName(aliasName);
    ctx.repo.write(() => {
      const alias = ctx.repo.alias(ctx.region, aliasName);
      const row = alias && ctx.repo.key(alias.keyId);
      if (!row) throw aliasNotFound(aliasArn(ctx.region, ctx.accountId, aliasName));
      note.keyArn = arnOf(ctx, row);
      ctx.repo.deleteAlias(ctx.region, aliasName);
    });
  });
}

/**
 * This region's aliases by name, or only those of `keyId`. Like AWS, the full list also shows
 * the AWS managed aliases whose keys do not exist yet, without a target.
 */
export function listAliases(ctx: KmsContext, keyId?: string): AliasListEntry[] {
  const rows = keyId === undefined ? ctx.repo.aliasesInRegion(ctx.region) : ctx.repo.aliasesOfKey(findKey(ctx, keyId).keyId);
  const entries: AliasListEntry[] = rows.map((a) => ({
    aliasName: a.aliasName,
    aliasArn: aliasArn(ctx.region, ctx.accountId, a.aliasName),
    targetKeyId: a.keyId,
    creationDate: new Date(a.createdAt),
  }));
  if (keyId === undefined) {
    for (const name of Object.keys(AWS_MANAGED_KEYS)) {
      const aliasName = `alias/${name}`;
      if (!entries.some((e) => e.aliasName === aliasName)) {
        entries.push({ aliasName, aliasArn: aliasArn(ctx.region, ctx.accountId, aliasName), targetKeyId: undefined, creationDate: undefined });
      }
    }
  }
  return entries.sort((a, b) => (a.aliasName < b.aliasName ? -1 : a.aliasName > b.aliasName ? 1 : 0));
}
