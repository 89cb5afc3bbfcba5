// Policy wildcards: `*` (any run, `/` included) and `?` (one character), with IAM's escapes for literal ones.
//
// IAM: "You can use wildcard characters (* and ?) within any ARN segment" and, in 2012-10-17
// policies, ${*}, ${?} and ${$} stand for the literal characters
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html). Other
// ${...} are policy variables, which this store does not evaluate: they are refused at parse time.
import { MSG, malformed } from './messages.js';

export type PatternToken = { kind: 'star' } | { kind: 'one' } | { kind: 'char'; char: string };

export interface Pattern {
  /** As written in the policy. */
  readonly source: string;
  readonly tokens: readonly PatternToken[];
}

const STAR: PatternToken = { kind: 'star' };
const ONE: PatternToken = { kind: 'one' };
const ESCAPES: Record<string, string> = { '${*}': '*', '${?}': '?', '${$}': '$' };

/**
 * Compiles a policy string. With `variables` (Version 2012-10-17) `${...}` is IAM variable syntax;
 * under 2008-10-17 it is plain text, as IAM treats it there.
 */
export function compilePattern(source: string, variables: boolean): Pattern {
  const tokens: PatternToken[] = [];
  const chars = Array.from(source);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (variables && c === '$' && chars[i + 1] === '{') {
      const end = chars.indexOf('}', i);
      const variable = end === -1 ? chars.slice(i).join('') : chars.slice(i, end + 1).join('');
      const literal = ESCAPES[variable];
      if (literal === undefined) throw malformed(MSG.unsupported(`The policy variable ${variable}`));
      tokens.push({ kind: 'char', char: literal });
      i = end;
    } else if (c === '*') {
      tokens.push(STAR);
    } else if (c === '?') {
      tokens.push(ONE);
    } else {
      tokens.push({ kind: 'char', char: c });
    }
  }
  return { source, tokens };
}

/** The text a pattern stands for when its wildcards are not special (StringEquals values). */
export function literalText(pattern: Pattern): string {
  return pattern.tokens.map((t) => (t.kind === 'char' ? t.char : t.kind === 'star' ? '*' : '?')).join('');
}

/**
 * Whole-string match, case-sensitive. Greedy, returning to the last `*` on a mismatch: at most
 * pattern length x text length steps, never exponential (no regular expressions built from policy text).
 */
export function matchPattern(pattern: Pattern, text: string): boolean {
  const tokens = pattern.tokens;
  const chars = Array.from(text);
  let p = 0;
  let t = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (t < chars.length) {
    const token = tokens[p];
    if (token?.kind === 'star') {
      starAt = ++p;
      resumeAt = t;
    } else if (token !== undefined && (token.kind === 'one' || token.char === chars[t])) {
      p++;
      t++;
    } else if (starAt !== -1) {
      p = starAt;
      t = ++resumeAt;
    } else {
      return false;
    }
  }
  while (tokens[p]?.kind === 'star') p++;
  return p === tokens.length;
}
