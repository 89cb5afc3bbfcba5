// Decides what a bucket policy says about one request: an explicit Deny wins, then any Allow, else nothing.
//
// IAM's evaluation logic (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
// "an explicit deny in any policy overrides any allows". 'none' leaves the decision to the store's
// default, under which its own credentials are allowed. Deny is checked before any SSE validation
// of the request (S3-SSE.md 7.5), so a denied write never reaches the encryption code.
import { S3Error } from '../errors.js';
import { actionMatches } from './actions.js';
import { conditionsHold, requestKeyValues } from './conditions.js';
import { matchPattern } from './patterns.js';
import { principalMatches } from './principals.js';
import { RESOURCE_PREFIX } from './statement.js';
import type { BucketPolicy, PolicyDecision, PolicyRequest, PolicyStatement } from './types.js';

/** The ARN a request acts on: the bucket, or one object in it. */
export function requestResource(bucket: string, key: string | undefined): string {
  return key === undefined ? `${RESOURCE_PREFIX}${bucket}` : `${RESOURCE_PREFIX}${bucket}/${key}`;
}

function statementApplies(statement: PolicyStatement, request: PolicyRequest, resource: string, values: Map<string, string | undefined>): boolean {
  return (
    principalMatches(statement.principal, request.principal) &&
    statement.actions.some((a) => actionMatches(a, request.action)) &&
    statement.resources.some((r) => matchPattern(r, resource)) &&
    conditionsHold(statement.conditions, values)
  );
}

export function evaluatePolicy(policy: BucketPolicy, request: PolicyRequest): PolicyDecision {
  const resource = requestResource(request.bucket, request.key);
  const values = requestKeyValues(request.conditionValues, request.secureTransport);
  let allowed = false;
  for (const statement of policy.statements) {
    if (!statementApplies(statement, request, resource, values)) continue;
    if (statement.effect === 'Deny') return 'deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'none';
}

/**
 * The answer to a denied request: 403 AccessDenied, "Access Denied" (S3-SSE.md E24). S3's newer
 * detailed text names the caller's IAM ARN, which this store does not have, so the short form is used.
 */
export function renderDenied(): S3Error {
  return new S3Error('AccessDenied', 'Access Denied');
}
