// One policy statement: checked element by element in S3's order, then normalised for evaluation.
//
// Element grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html.
// S3's extra rules for bucket policies: every Resource must lie in the policy's own bucket ("Policy
// has invalid resource"), and each action must apply to one of the statement's resources.
import { actionMatches, kindsNamedBy, parseActionPattern, PUT_OBJECT, type ResourceKind } from './actions.js';
import { parseConditions } from './conditions.js';
import { MSG, malformed } from './messages.js';
import { compilePattern, matchPattern, type Pattern } from './patterns.js';
import { parsePrincipal } from './principals.js';
import { SSE_CONDITION_KEYS, type PolicyEffect, type PolicyStatement } from './types.js';

export const RESOURCE_PREFIX = 'arn:aws:s3:::';

const FIELDS = new Set(['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition']);
/**
 * Valid on S3 but not evaluated here. Ignoring them would turn their meaning around (a
 * NotResource Deny would deny nothing), so they are refused.
 */
const NOT_FIELDS = new Set(['NotPrincipal', 'NotAction', 'NotResource']);

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "If the element takes an array but only one value is included, the brackets are optional." */
function stringList(value: unknown, emptyMessage: string): string[] {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw malformed(emptyMessage);
  if (!list.every((v): v is string => typeof v === 'string')) throw malformed(MSG.syntax);
  return list;
}

function required(statement: Record<string, unknown>, field: string): unknown {
  const value = statement[field];
  if (value === undefined) throw malformed(MSG.missingField(field));
  return value;
}

function parseEffect(value: unknown): PolicyEffect {
  if (value === 'Allow' || value === 'Deny') return value;
  throw malformed(typeof value === 'string' ? MSG.effect(value) : MSG.syntax);
}

/** An S3 ARN in this bucket; the bucket part may hold wildcards if they match the bucket's name. */
function parseResource(text: string, bucket: string, variables: boolean): Pattern {
  if (!text.startsWith(RESOURCE_PREFIX) || text.length === RESOURCE_PREFIX.length) throw malformed(MSG.resource);
  const rest = text.slice(RESOURCE_PREFIX.length);
  const slash = rest.indexOf('/');
  const bucketPart = slash === -1 ? rest : rest.slice(0, slash);
  const pattern = compilePattern(text, variables);
  if (!matchPattern(compilePattern(bucketPart, variables), bucket)) throw malformed(MSG.resource);
  return pattern;
}

/** Which kinds of resource the statement's Resource list can reach: the bucket itself, objects in it. */
function reachedKinds(resources: readonly Pattern[], bucket: string): Set<ResourceKind> {
  const kinds = new Set<ResourceKind>();
  for (const r of resources) {
    if (matchPattern(r, RESOURCE_PREFIX + bucket)) kinds.add('bucket');
    // `*` matches across `/`, so `arn:aws:s3:::b*` reaches objects too.
    if (r.source.slice(RESOURCE_PREFIX.length).includes('/') || r.tokens.some((t) => t.kind === 'star')) kinds.add('object');
  }
  return kinds;
}

export function parseStatement(value: unknown, bucket: string, variables: boolean): PolicyStatement {
  if (!isObject(value)) throw malformed(MSG.syntax);
  for (const field of Object.keys(value)) {
    if (NOT_FIELDS.has(field)) throw malformed(MSG.unsupported(field));
    if (!FIELDS.has(field)) throw malformed(MSG.unknownField(field));
  }
  const sid = value.Sid;
  if (sid !== undefined && typeof sid !== 'string') throw malformed(MSG.syntax);
  const effect = parseEffect(required(value, 'Effect'));
  const principal = parsePrincipal(required(value, 'Principal'));
  const actions = stringList(required(value, 'Action'), MSG.action).map((text) => {
    const pattern = parseActionPattern(text);
    if (pattern === undefined) throw malformed(MSG.action);
    return pattern;
  });
  const resources = stringList(required(value, 'Resource'), MSG.resource).map((t) => parseResource(t, bucket, variables));
  const kinds = reachedKinds(resources, bucket);
  for (const action of actions) {
    const named = kindsNamedBy(action);
    if (named.size > 0 && ![...named].some((k) => kinds.has(k))) throw malformed(MSG.notApplicable);
  }
  const conditions = value.Condition === undefined ? [] : parseConditions(value.Condition, variables);
  // The SSE keys come only with s3:PutObject on an object; a statement that cannot be about such a
  // request would test a key that is never there, so S3's applicability rule is applied to them.
  const sseKeyed = conditions.some((c) => (SSE_CONDITION_KEYS as readonly string[]).includes(c.key));
  if (sseKeyed && !(kinds.has('object') && actions.some((a) => actionMatches(a, PUT_OBJECT)))) {
    throw malformed(MSG.conditionNotApplicable);
  }
  return { sid, effect, principal, actions, resources, conditions };
}
