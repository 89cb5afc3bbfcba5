// Which paths of a folder never sync: Coffer's own files, editors' temporary files, and the folder's .cofferignore.
import { compileIgnoreLine, type IgnorePattern } from './ignorePattern.js';
import type { RelativePath } from './syncTypes.js';

/** The ignore file at a folder's root; gitignore syntax. Only the root's file is read. */
export const IGNORE_FILE_NAME = '.cofferignore';

/** Coffer's own working names: always ignored, whatever .cofferignore says. */
export const RESERVED_IGNORE_PATTERNS: readonly string[] = ['.coffer-trash', '.coffer-tmp-*'];

/**
 * Files that are never worth syncing: editors' swap, lock and backup files, browsers' partial
 * downloads, and the desktop's folder metadata. A '!pattern' in .cofferignore re-includes them.
 */
export const DEFAULT_IGNORE_PATTERNS: readonly string[] = [
  '*.swp', // vim swap files ('.name.swp'); '.swo', '.swx' when one is taken
  '*.swo',
  '*.swx',
  '*~', // emacs, gedit and many others' backups
  '.#*', // emacs lock links
  '.~lock.*#', // LibreOffice locks
  '~$*', // Microsoft Office owner files
  '.DS_Store',
  'Thumbs.db',
  'desktop.ini',
  '*.tmp',
  '*.crdownload', // Chrome partial downloads
  '*.part', // Firefox and others' partial downloads
];

export interface IgnoreOptions {
  /** Whether the folder's file system ignores case (git's core.ignorecase): patterns then ignore case too. */
  readonly caseInsensitive: boolean;
  /** Apply DEFAULT_IGNORE_PATTERNS before the file's own lines (default true). */
  readonly defaults?: boolean;
}

export interface IgnoreMatcher {
  /**
   * Whether `path` (folder-relative, '/'-separated) is ignored. A path inside an ignored directory is
   * ignored whatever later lines say: as in git, a file cannot be re-included when a parent directory
   * is excluded. A bound function, so it can be passed around as `matcher.ignores`.
   */
  readonly ignores: (path: RelativePath, isDirectory: boolean) => boolean;
}

/** Directory verdicts are cached; beyond this many the cache starts over. */
const MAX_CACHED_DIRECTORIES = 50_000;

/**
 * Compiles the defaults and `fileText` (the .cofferignore content; '' when there is none) into a matcher.
 * Lines are split on LF or CRLF; a byte-order mark is dropped; lines that match nothing (see
 * compileIgnoreLine) are skipped rather than reported. Later lines override earlier ones.
 */
export function compileIgnoreRules(fileText: string, options: IgnoreOptions): IgnoreMatcher {
  const compile = (lines: readonly string[]): IgnorePattern[] =>
    lines.map((line) => compileIgnoreLine(line, options.caseInsensitive)).filter((p): p is IgnorePattern => p !== undefined);
  const reserved = compile(RESERVED_IGNORE_PATTERNS);
  const patterns = compile([...(options.defaults === false ? [] : DEFAULT_IGNORE_PATTERNS), ...fileText.replace(/^\uFEFF/, '').split(/\r?\n/)]);

  const verdict = (path: string, name: string, isDirectory: boolean): boolean => {
    if (reserved.some((p) => matches(p, path, name, isDirectory))) return true;
    for (let i = patterns.length - 1; i >= 0; i--) {
      const pattern = patterns[i]!;
      if (matches(pattern, path, name, isDirectory)) return !pattern.negated;
    }
    return false;
  };

  const directories = new Map<string, boolean>();
  const directoryIgnored = (path: string, name: string): boolean => {
    let known = directories.get(path);
    if (known === undefined) {
      known = verdict(path, name, true);
      if (directories.size >= MAX_CACHED_DIRECTORIES) directories.clear();
      directories.set(path, known);
    }
    return known;
  };

  const ignores = (rawPath: RelativePath, isDirectory: boolean): boolean => {
    const path = rawPath.normalize('NFC');
    let start = 0;
    for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
      if (directoryIgnored(path.slice(0, slash), path.slice(start, slash))) return true;
      start = slash + 1;
    }
    return verdict(path, path.slice(start), isDirectory);
  };
  return { ignores };
}

function matches(pattern: IgnorePattern, path: string, name: string, isDirectory: boolean): boolean {
  if (pattern.directoryOnly && !isDirectory) return false;
  return pattern.regex.test(pattern.anchored ? path : name);
}
