// Checks a .cofferignore text line by line before it is saved, naming the first line that could never match and why.
import { ignoreLineProblem } from '../../core/sync/ignorePattern.js';
import { ApiError } from '../control/apiError.js';

/**
 * Checks every line of a .cofferignore text (split as the sync engine splits it: LF or CRLF, a
 * byte-order mark dropped): each must be blank, a comment, or a pattern that can match. Throws
 * ApiError('InvalidIgnoreRule', 'line N: reason') for the first line that cannot, N counted from 1;
 * the reason comes from the pattern compiler itself.
 */
export function checkIgnoreText(text: string): void {
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, index) => {
      const problem = ignoreLineProblem(line);
      if (problem !== undefined) throw new ApiError('InvalidIgnoreRule', `line ${index + 1}: ${problem}`);
    });
}
