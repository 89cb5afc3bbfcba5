// Checks a .cofferignore text line by line before it is saved, naming the first line that could never match and why.
import { compileIgnoreLine } from '../../core/sync/ignorePattern.js';
import { ApiError } from '../control/apiError.js';

/** Lines as the sync engine splits them (compileIgnoreRules): LF or CRLF, a byte-order mark dropped. */
function linesOf(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/);
}

/** Blank lines and comments are part of the syntax, not mistakes. */
function isBlankOrComment(line: string): boolean {
  return /^ *$/.test(line) || line.startsWith('#');
}

function endsWithLoneBackslash(text: string): boolean {
  const run = /\\+$/.exec(text)?.[0].length ?? 0;
  return run % 2 === 1;
}

/** Drops trailing spaces that are not escaped with a backslash, as git does. */
function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ' && !endsWithLoneBackslash(line.slice(0, end - 1))) end--;
  return line.slice(0, end);
}

/**
 * Why a line that is neither blank nor a comment compiles to nothing. The compiler itself is asked
 * about each bracket piece, so the reasons follow its rules rather than a second copy of them.
 */
function reasonOf(line: string): string {
  const text = trimTrailingSpaces(line);
  if (/^!?\/*$/.test(text)) return "the pattern is empty (only '!' or '/')";
  if (endsWithLoneBackslash(text)) return "it ends with a lone '\\' (write '\\\\' for a backslash)";
  if (/(^|[^\\])\/\/|^!?\/\//.test(text)) return "it has an empty path part ('//')";
  // Each complete bracket expression the compiler refuses: an unknown class, or a range out of order.
  for (const [bracket] of text.matchAll(/\[[!^]?\]?(?:\[:[^:\]]*:\]|\\.|[^\]\\])*\]/g)) {
    if (compileIgnoreLine(bracket, false) !== undefined) continue;
    for (const [, name] of bracket.matchAll(/\[:([^:\]]*):\]/g)) {
      if (compileIgnoreLine(`[[:${name}:]]`, false) === undefined) return `[:${name}:] is not a character class`;
    }
    for (const [range, low, high] of bracket.matchAll(/([^\\[\]])-([^\\\]])/g)) {
      if (compileIgnoreLine(`[${range}]`, false) === undefined) return `the range ${low}-${high} is out of order`;
    }
  }
  return "a '[' is never closed";
}

/**
 * Checks every line of a .cofferignore text: each must be blank, a comment, or a pattern that can
 * match (see compileIgnoreLine). Throws ApiError('InvalidIgnoreRule', 'line N: reason') for the
 * first line that cannot, N counted from 1; the message quotes nothing but the offending piece.
 */
export function checkIgnoreText(text: string): void {
  linesOf(text).forEach((line, index) => {
    if (isBlankOrComment(line) || compileIgnoreLine(line, false) !== undefined) return;
    throw new ApiError('InvalidIgnoreRule', `line ${index + 1}: ${reasonOf(line)}`);
  });
}
