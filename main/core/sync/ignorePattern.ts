// Compiles one line of gitignore syntax into a matcher (https://git-scm.com/docs/gitignore, "PATTERN FORMAT").

/** One compiled pattern line. */
export interface IgnorePattern {
  /** The line as written (after NFC normalisation), for diagnostics. */
  readonly line: string;
  /** '!pattern': a match re-includes the path. */
  readonly negated: boolean;
  /** 'pattern/': matches directories only. */
  readonly directoryOnly: boolean;
  /** A '/' at the start or in the middle: matched against the whole relative path, else against the last segment. */
  readonly anchored: boolean;
  readonly regex: RegExp;
}

/** The POSIX bracket classes git's wildmatch knows, in the C locale it uses. */
const POSIX_CLASSES: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '\\x21-\\x7e',
  lower: 'a-z',
  print: '\\x20-\\x7e',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\r\\f\\v',
  upper: 'A-Z',
  xdigit: '0-9A-Fa-f',
};

const REGEX_SYNTAX = /[\\^$.*+?()[\]{}|/]/;

/**
 * Compiles one line, or returns undefined for a line that matches nothing: blank, a comment ('#' first;
 * '\#' is a literal '#'), only '/' or '!', a trailing unescaped backslash, an unclosed '[', a range out
 * of order such as '[z-a]', or an unknown '[:class:]'. Trailing spaces are dropped unless escaped ('\ ').
 * '*' and '?' never match '/'; '**' spans directories only as a whole segment ('**\/x', 'x/**',
 * 'a/**\/b'), elsewhere it is a plain '*'. A pattern with an unclosed '[' matches nothing, as in git.
 */
export function compileIgnoreLine(rawLine: string, caseInsensitive: boolean): IgnorePattern | undefined {
  const compiled = compile(rawLine, caseInsensitive);
  return 'pattern' in compiled ? compiled.pattern : undefined;
}

/**
 * Why a line that is neither blank nor a comment matches nothing (an editor shows it beside the
 * line), or undefined when the line is fine, blank or a comment.
 */
export function ignoreLineProblem(rawLine: string): string | undefined {
  const compiled = compile(rawLine, false);
  return 'problem' in compiled ? compiled.problem : undefined;
}

/** A line that is not a pattern: nothing to say about a blank line or a comment, a reason for anything else. */
type Compiled = { pattern: IgnorePattern } | { problem: string } | { blank: true };

function compile(rawLine: string, caseInsensitive: boolean): Compiled {
  const line = rawLine.normalize('NFC');
  if (line.startsWith('#')) return { blank: true };
  let text = trimTrailingSpaces(line);
  if (text === '') return { blank: true };
  const negated = text.startsWith('!');
  if (negated) text = text.slice(1);
  const directoryOnly = text.endsWith('/') && !isEscapedAt(text, text.length - 1);
  if (directoryOnly) text = text.slice(0, -1);
  const segments = splitSegments(text);
  if (segments === undefined) return { problem: "it ends with a lone '\\' (write '\\\\' for a backslash)" };
  const anchored = segments.length > 1;
  if (anchored && segments[0] === '') segments.shift(); // a leading '/' only anchors
  if (segments.length === 0 || (segments.length === 1 && segments[0] === '')) return { problem: "the pattern is empty (only '!' or '/')" };
  if (segments.some((s) => s === '')) return { problem: "it has an empty path part ('//')" };

  try {
    let body = '';
    segments.forEach((segment, i) => {
      const last = i === segments.length - 1;
      if (anchored && segment === '**') body += last ? '.*' : '(?:.*/)?';
      else body += globToRegex(segment) + (last ? '' : '/');
    });
    // 's': names may contain newlines; 'u': code points, so '?' matches one character, not half of one.
    const regex = new RegExp(`^${body}$`, caseInsensitive ? 'siu' : 'su');
    return { pattern: { line, negated, directoryOnly, anchored, regex } };
  } catch (err) {
    // An unclosed '[', an unknown [:class:] or a range out of order ('[z-a]'): git matches nothing with it either.
    return { problem: err instanceof RangeError ? err.message : 'it is not a pattern git could match' };
  }
}

function isEscapedAt(text: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && text[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

function trimTrailingSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === ' ' && !isEscapedAt(text, end - 1)) end--;
  return text.slice(0, end);
}

/** Splits on unescaped '/', keeping escapes in place; undefined when the text ends in a lone backslash. */
function splitSegments(text: string): string[] | undefined {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\\') {
      if (i + 1 >= text.length) return undefined;
      current += char + text[i + 1];
      i++;
    } else if (char === '/') {
      segments.push(current);
      current = '';
    } else current += char;
  }
  segments.push(current);
  return segments;
}

/** One segment's glob as a regex source; throws for a bracket expression git could never match with. */
function globToRegex(glob: string): string {
  const chars = Array.from(glob);
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === '\\') {
      out += escapeLiteral(chars[++i]!);
    } else if (char === '*') {
      while (chars[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '[') {
      const parsed = parseBracket(chars, i);
      // git's wildmatch gives up on the whole pattern at an unclosed bracket.
      if (parsed === undefined) throw new RangeError("a '[' is never closed");
      out += parsed.source;
      i = parsed.end;
    } else out += escapeLiteral(char);
  }
  return out;
}

/** A bracket expression starting at chars[start] === '['; undefined when it has no closing ']'. */
function parseBracket(chars: string[], start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  const negated = chars[i] === '!' || chars[i] === '^';
  if (negated) i++;
  let members = '';
  let first = true;
  for (; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === ']' && !first) {
      // A class never matches '/', negated or not.
      return { source: negated ? `[^/${members}]` : `(?!/)[${members}]`, end: i };
    }
    first = false;
    if (char === '[' && chars[i + 1] === ':') {
      const close = chars.indexOf(':', i + 2);
      if (close > 0 && chars[close + 1] === ']') {
        const name = chars.slice(i + 2, close).join('');
        const range = POSIX_CLASSES[name];
        if (range === undefined) throw new RangeError(`[:${name}:] is not a character class`);
        members += range;
        i = close + 1;
        continue;
      }
    }
    let member = char;
    if (char === '\\') {
      if (i + 1 >= chars.length) return undefined;
      member = chars[++i]!;
    }
    members += escapeClassMember(member);
    if (chars[i + 1] === '-' && chars[i + 2] !== undefined && chars[i + 2] !== ']') {
      let upper = chars[i + 2]!;
      i += 2;
      if (upper === '\\') {
        if (i + 1 >= chars.length) return undefined;
        upper = chars[++i]!;
      }
      if (upper.codePointAt(0)! < member.codePointAt(0)!) throw new RangeError(`the range ${member}-${upper} is out of order`);
      members += '-' + escapeClassMember(upper);
    }
  }
  return undefined;
}

function escapeLiteral(char: string): string {
  return REGEX_SYNTAX.test(char) ? `\\${char}` : char;
}

function escapeClassMember(char: string): string {
  return char === '\\' || char === ']' || char === '[' || char === '^' || char === '-' ? `\\${char}` : char;
}
