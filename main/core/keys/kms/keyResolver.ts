// Turns a key id, key ARN, alias name or alias ARN into a key of this region, telling apart every way that fails.
import { aliasArn, isKeyId, keyArn, parseKmsArn } from './identifiers.js';
import { KmsError, aliasNotFound, constraintViolation, invalidArnRegion, invalidKeyId, keyDisabled, keyDoesNotExist, keyPendingDeletion } from './kmsError.js';
import { arnOf, describeRow, type KmsContext } from './kmsContext.js';
import type { KeyRow } from './kmsRepository.js';
import type { KeyMetadata } from './kmsTypes.js';

/**
 * Why a key could not be used, in the categories S3 reports differently (S3-SSE.md 3.4):
 * - malformed: not a UUID, key ARN, `alias/…` or alias ARN (`Invalid keyId 'x'`)
 * - not-found: well-formed but unknown here, including unknown aliases and other accounts
 * - other-region-arn: a key or alias ARN of another region (`Invalid arn <region>`)
 * - other-region-key: a bare key id of a key that exists only in another region
 * - disabled, pending-deletion: the key exists but cannot be used now
 */
export type KeyResolutionFailure = 'malformed' | 'not-found' | 'other-region-arn' | 'other-region-key' | 'disabled' | 'pending-deletion';

export type KeyResolution =
  | { ok: true; key: KeyMetadata }
  | { ok: false; reason: KeyResolutionFailure; error: KmsError };

type Located = { ok: true; row: KeyRow; via: 'key' | 'alias' } | { ok: false; reason: KeyResolutionFailure; error: KmsError };

const fail = (reason: KeyResolutionFailure, error: KmsError): Located => ({ ok: false, reason, error });

function byAlias(ctx: KmsContext, aliasName: string): Located {
  const alias = ctx.repo.alias(ctx.region, aliasName);
  const row = alias && ctx.repo.key(alias.keyId);
  if (!row) return fail('not-found', aliasNotFound(aliasArn(ctx.region, ctx.accountId, aliasName)));
  return { ok: true, row, via: 'alias' };
}

function byKeyId(ctx: KmsContext, keyId: string, asGiven: string | undefined): Located {
  const id = keyId.toLowerCase();
  const row = ctx.repo.key(id);
  if (row && row.region === ctx.region) return { ok: true, row, via: 'key' };
  // AWS names the ARN it looked for: the one given, or the bare id placed in the caller's region.
  const error = keyDoesNotExist(asGiven ?? keyArn(ctx.region, ctx.accountId, id));
  return fail(row && asGiven === undefined ? 'other-region-key' : 'not-found', error);
}

function byArn(ctx: KmsContext, input: string): Located {
  const arn = parseKmsArn(input);
  if (!arn) {
    // A KMS ARN with a broken region, account or resource part is an invalid ARN; any other
    // `arn:` string is simply not a key identifier.
    if (input.startsWith('arn:aws:kms:')) return fail('malformed', new KmsError('InvalidArnException', `${input} is not a valid KMS key or alias ARN`));
    return fail('malformed', invalidKeyId(input));
  }
  if (arn.region !== ctx.region) return fail('other-region-arn', invalidArnRegion(arn.region));
  if (arn.kind === 'alias') {
    if (arn.accountId !== ctx.accountId) return fail('not-found', aliasNotFound(input));
    return byAlias(ctx, arn.aliasName);
  }
  if (!isKeyId(arn.keyId)) return fail('malformed', invalidKeyId(arn.keyId));
  // A key ARN of another account can never name a key of this store.
  if (arn.accountId !== ctx.accountId) return fail('not-found', keyDoesNotExist(input));
  return byKeyId(ctx, arn.keyId, input);
}

/** Finds the key any of the four identifier forms names, in any state. Never creates anything. */
export function locateKey(ctx: KmsContext, input: string): Located {
  if (input.length === 0) return fail('malformed', constraintViolation('keyId', input, 'Member must have length greater than or equal to 1'));
  if (input.startsWith('arn:')) return byArn(ctx, input);
  if (input.startsWith('alias/')) return byAlias(ctx, input);
  if (isKeyId(input)) return byKeyId(ctx, input, undefined);
  return fail('malformed', invalidKeyId(input));
}

/** locateKey for operations: throws the KmsError AWS would answer. */
export function findKey(ctx: KmsContext, input: string): KeyRow {
  const found = locateKey(ctx, input);
  if (!found.ok) throw found.error;
  return found.row;
}

/** CreateAlias's target: a key id or key ARN only, since an alias may not point at another alias. */
export function findAliasTarget(ctx: KmsContext, input: string): KeyRow {
  const found = locateKey(ctx, input);
  if (!found.ok) throw found.error;
  if (found.via === 'alias') throw new KmsError('ValidationException', 'Aliases must refer to keys. Not aliases');
  return found.row;
}

/** The store's check before a PUT: the key exists here and is Enabled. */
export function resolveUsableKey(ctx: KmsContext, input: string): KeyResolution {
  const found = locateKey(ctx, input);
  if (!found.ok) return found;
  const arn = arnOf(ctx, found.row);
  if (found.row.state === 'Disabled') return { ok: false, reason: 'disabled', error: keyDisabled(arn) };
  if (found.row.state === 'PendingDeletion') return { ok: false, reason: 'pending-deletion', error: keyPendingDeletion(arn) };
  return { ok: true, key: describeRow(ctx, found.row) };
}
