// A folder's .cofferignore on disk: read as the UI shows it, written whole after every line is checked.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IgnoreRules } from '../../../preload/contract.js';
import { systemRandom, type RandomSource } from '../../core/crypto/random.js';
import { DEFAULT_IGNORE_PATTERNS, IGNORE_FILE_NAME, RESERVED_IGNORE_PATTERNS } from '../../core/sync/ignoreRules.js';
import { ApiError } from '../control/apiError.js';
import { writeFileAtomic } from '../../core/files/atomicFile.js';
import { checkIgnoreText } from './ignoreValidation.js';

/** What the UI shows for a folder: the file's text and the patterns that apply besides it. */
export function ignoreRulesOf(text: string): IgnoreRules {
  return { text, defaults: [...DEFAULT_IGNORE_PATTERNS], reserved: [...RESERVED_IGNORE_PATTERNS] };
}

/** The .cofferignore at `root`, as written; '' when there is none (or the root itself is missing). Throws other read errors. */
export async function readIgnoreText(root: string): Promise<string> {
  try {
    return await readFile(join(root, IGNORE_FILE_NAME), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/**
 * Checks `text` (see checkIgnoreText) and replaces `root`'s .cofferignore with it atomically; an
 * empty text leaves an empty file. ApiError InvalidIgnoreRule for a bad line, FolderMissing when
 * the root is not there (nothing is created then); other file system errors are thrown as they are.
 */
export function writeIgnoreText(root: string, text: string, random: RandomSource = systemRandom): void {
  checkIgnoreText(text);
  if (!existsSync(root)) throw new ApiError('FolderMissing', `the folder ${root} is missing: reconnect its drive or remove the folder`);
  const file = join(root, IGNORE_FILE_NAME);
  // An existing file keeps its mode; a new one is an ordinary file of the user's folder (the umask applies).
  const mode = existsSync(file) ? statSync(file).mode & 0o777 : undefined;
  writeFileAtomic(file, text, mode, random);
}
