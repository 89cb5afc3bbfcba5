// A statement's Condition block: parsed into (operator, key, values) triples, and evaluated as IAM does.
//
// Semantics from "IAM JSON policy elements: Condition operators" and "Creating a condition with
// multiple keys or values" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html,
// reference_policies_condition-logic-multiple-context-keys-or-values.html):
// - several operators, or several keys under one operator: all must hold (AND);
// - several values for one key: any may match (OR); a negated operator holds when none matches;
// - a key the request lacks fails a positive operator and satisfies a negated one ("If the key
//   that you specify in a policy condition is not present in the request context, the values do
//   not match and the condition is false. If the policy condition requires that the key is not
//   matched, such as StringNotLike ... the condition is true");
// - `...IfExists` makes a lacking key satisfy any operator; `Null` tests presence itself.
// Operator names are case-sensitive; key names are not; string comparisons are case-sensitive.
import { MSG, malformed } from './messages.js';
import { compilePattern, literalText, matchPattern } from './patterns.js';
import { CONDITION_KEYS, CONDITION_OPERATORS, type ConditionKey, type ConditionOperator, type PolicyCondition } from './types.js';

/** IAM operators a policy may name that this store does not evaluate (refused with a clear text, not S3's generic one). */
const OTHER_IAM_OPERATORS = new Set([
  'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'NumericEquals', 'NumericNotEquals', 'NumericLessThan',
  'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals', 'DateEquals', 'DateNotEquals',
  'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals', 'BinaryEquals',
  'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnNotEquals', 'ArnLike', 'ArnNotLike',
]);

const NEGATED: ReadonlySet<ConditionOperator> = new Set(['StringNotEquals', 'StringNotLike']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseOperator(written: string): { operator: ConditionOperator; ifExists: boolean } {
  const ifExists = written.endsWith('IfExists');
  const base = ifExists ? written.slice(0, -'IfExists'.length) : written;
  const operator = CONDITION_OPERATORS.find((o) => o === base);
  // Null tests presence itself, so IAM has no NullIfExists.
  if (operator !== undefined && !(ifExists && operator === 'Null')) return { operator, ifExists };
  if (OTHER_IAM_OPERATORS.has(base) || /^(ForAllValues|ForAnyValue):/.test(written)) {
    throw malformed(MSG.unsupported(`The condition operator ${written}`));
  }
  throw malformed(MSG.conditionType(written));
}

function parseKey(written: string): ConditionKey {
  const known = CONDITION_KEYS.find((k) => k.toLowerCase() === written.toLowerCase());
  if (known !== undefined) return known;
  // aws: and s3: keys exist on S3 beyond the four evaluated here; anything else is no key at all.
  if (/^(aws|s3):./i.test(written)) throw malformed(MSG.unsupported(`The condition key ${written}`));
  throw malformed(MSG.conditionKey);
}

/** One value or a non-empty list; "quotation marks are optional" for numbers and booleans. */
function parseValues(value: unknown): string[] {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw malformed(MSG.syntax);
  return list.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw malformed(MSG.syntax);
  });
}

/** `variables`: the policy is Version 2012-10-17, where `${...}` in string values is IAM syntax. */
export function parseConditions(block: unknown, variables: boolean): PolicyCondition[] {
  if (!isObject(block)) throw malformed(MSG.syntax);
  const conditions: PolicyCondition[] = [];
  for (const [writtenOperator, keys] of Object.entries(block)) {
    const { operator, ifExists } = parseOperator(writtenOperator);
    if (!isObject(keys)) throw malformed(MSG.syntax);
    for (const [writtenKey, rawValues] of Object.entries(keys)) {
      const key = parseKey(writtenKey);
      const texts = parseValues(rawValues);
      const boolean = operator === 'Null' || operator === 'Bool';
      if (boolean && texts.some((t) => !/^(true|false)$/i.test(t))) throw malformed(MSG.conditionValue(operator));
      const patterns = texts.map((t) => (boolean ? compilePattern(t.toLowerCase(), false) : compilePattern(t, variables)));
      conditions.push({ operator, ifExists, key, values: patterns.map(literalText), patterns });
    }
  }
  return conditions;
}

/** Whether one condition holds for the request's value of its key (undefined: the request lacks it). */
export function conditionHolds(condition: PolicyCondition, value: string | undefined): boolean {
  const { operator, values, patterns } = condition;
  if (operator === 'Null') return values.includes(value === undefined ? 'true' : 'false');
  if (value === undefined) return condition.ifExists || NEGATED.has(operator);
  switch (operator) {
    case 'StringEquals':
      return values.includes(value);
    case 'StringNotEquals':
      return !values.includes(value);
    case 'StringLike':
      return patterns.some((p) => matchPattern(p, value));
    case 'StringNotLike':
      return !patterns.some((p) => matchPattern(p, value));
    case 'Bool':
      return values.includes(value.toLowerCase());
  }
}

/** The request's value for each condition key, by lower-case key name. */
export function requestKeyValues(conditionValues: Record<string, string | undefined>, secureTransport: boolean): Map<string, string | undefined> {
  const byKey = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(conditionValues)) byKey.set(name.toLowerCase(), value);
  byKey.set('aws:securetransport', secureTransport ? 'true' : 'false');
  return byKey;
}

export function conditionsHold(conditions: readonly PolicyCondition[], values: Map<string, string | undefined>): boolean {
  return conditions.every((c) => conditionHolds(c, values.get(c.key.toLowerCase())));
}
