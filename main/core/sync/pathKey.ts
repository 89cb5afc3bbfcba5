// The identity of a folder-relative path for matching across devices, and the checks that keep a path inside its folder.
import type { RelativePath } from './syncTypes.js';

/**
 * The key two spellings of one path share. NFC first, because macOS hands out NFD names while other
 * systems (and the remote) use NFC; then lower case when the folder's file system ignores case, so
 * 'README.md' and 'Readme.md' are one file there. The result is NFC-normalised again because lower-casing
 * can produce sequences that compose differently.
 */
export function pathKey(path: RelativePath, caseInsensitive: boolean): string {
  if (ASCII_ONLY.test(path)) return caseInsensitive ? path.toLowerCase() : path;
  const nfc = path.normalize('NFC');
  return caseInsensitive ? nfc.toLowerCase().normalize('NFC') : nfc;
}

/** The remote object key (relative to the folder's prefix) for a local path: its NFC form, case kept. */
export function remoteKeyOf(path: RelativePath): string {
  return ASCII_ONLY.test(path) ? path : path.normalize('NFC');
}

/** ASCII is its own NFC form: most paths skip normalisation. */
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * Orders paths by Unicode code point, which is UTF-8 byte order and the order S3 lists keys in.
 * Plain `<` compares UTF-16 code units, which puts astral characters (surrogate pairs) before U+E000..U+FFFF.
 */
export function comparePaths(a: string, b: string): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(codeUnit: number): number {
  if (codeUnit >= 0xd800 && codeUnit <= 0xdfff) return codeUnit + 0x2000; // surrogates rank above the BMP
  if (codeUnit >= 0xe000) return codeUnit - 0x800;
  return codeUnit;
}

const NEEDS_RANKING = /[\ud800-\uffff]/;

/**
 * A string whose plain `<` order is comparePaths order: the path itself unless it holds code units
 * from U+D800 up, which are remapped. For sorting many paths: decorate once, compare natively.
 */
export function pathSortKey(path: string): string {
  if (!NEEDS_RANKING.test(path)) return path;
  let key = '';
  for (let i = 0; i < path.length; i++) key += String.fromCharCode(codePointRank(path.charCodeAt(i)));
  return key;
}

/** Sorts `items` by comparePaths order of `pathOf(item)`, in place, decorating each path once. */
export function sortByPath<T>(items: T[], pathOf: (item: T) => string): T[] {
  const decorated = items.map((item) => ({ key: pathSortKey(pathOf(item)), item }));
  decorated.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  decorated.forEach((entry, i) => {
    items[i] = entry.item;
  });
  return items;
}

/** The directory holding `path` ('' for a top-level entry). */
export function parentOf(path: RelativePath): RelativePath {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Every proper ancestor directory of `path`, outermost first: 'a/b/c' → ['a', 'a/b']. */
export function ancestorsOf(path: RelativePath): RelativePath[] {
  const ancestors: RelativePath[] = [];
  for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
    ancestors.push(path.slice(0, slash));
  }
  return ancestors;
}

/** The last segment of `path`. */
export function baseNameOf(path: RelativePath): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Where a path came from: a local scan, or a remote listing written by any device or tool. */
export type PathOrigin = 'local' | 'remote';

/**
 * Why a path cannot be used as a folder-relative path. 'trailing-slash' is what S3 consoles create
 * as "folder" markers; 'backslash' and 'drive-letter' are only problems for remote keys, where another
 * device's name would become a separator or a drive on Windows and leave the folder.
 */
export type PathProblem =
  | 'empty'
  | 'absolute'
  | 'trailing-slash'
  | 'empty-segment'
  | 'dot-segment'
  | 'nul'
  | 'backslash'
  | 'drive-letter';

const DRIVE_LETTER = /^[A-Za-z]:/;
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

/**
 * The first reason `path` is unsafe to join under a folder, or undefined when it is safe.
 * Local paths may contain a backslash (a legal name character on POSIX systems); remote keys may not.
 */
export function relativePathProblem(path: string, origin: PathOrigin): PathProblem | undefined {
  if (path === '') return 'empty';
  if (path.includes('\0')) return 'nul';
  if (path.startsWith('/')) return 'absolute';
  if (path.endsWith('/')) return 'trailing-slash';
  if (origin === 'remote') {
    if (path.includes('\\')) return 'backslash';
    if (DRIVE_LETTER.test(path)) return 'drive-letter';
  }
  if (path.includes('//')) return 'empty-segment';
  if (DOT_SEGMENT.test(path)) return 'dot-segment';
  return undefined;
}

/** Thrown by assertRelativePath; carries the path (paths are not secrets) and the problem. */
export class InvalidPathError extends Error {
  constructor(
    readonly path: string,
    readonly problem: PathProblem,
  ) {
    super(`not a safe folder-relative path (${problem}): ${JSON.stringify(path)}`);
    this.name = 'InvalidPathError';
  }
}

/** Throws InvalidPathError when relativePathProblem finds one. */
export function assertRelativePath(path: string, origin: PathOrigin): void {
  const problem = relativePathProblem(path, origin);
  if (problem !== undefined) throw new InvalidPathError(path, problem);
}
