// Incremental scan of the paths a watcher reported: re-stats (and if need be hashes) just those files and walks just those directories.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalEntry } from '../index/localIndex.js';
import type { RelativePath } from '../syncTypes.js';
import { forEachConcurrently } from './forEachConcurrently.js';
import { isInternalName } from './internalNames.js';
import { checkRoot, missingRoot } from './scanFolder.js';
import { ScanSession } from './scanSession.js';
import type { IgnoreRule, ScanOptions, ScanResult } from './scanTypes.js';
import { errorCode } from './walkTree.js';

/**
 * Brings the index up to date for `paths` only: each is a file or a directory (whose subtree is
 * walked) or gone (its entries, and those under it, are cleared). A path inside an ignored or
 * internal directory, or below a symbolic link, counts as gone, as a full scan would never see it.
 * `files` and `vanished` cover only those paths. Root and error handling match scanFolder.
 * Throws TypeError, before touching anything, for a path that is not folder-relative
 * ('', a leading or trailing '/', or a '.'/'..' segment).
 */
export async function scanPaths(root: string, paths: readonly RelativePath[], options: ScanOptions): Promise<ScanResult> {
  for (const path of paths) assertRelative(path);
  const rootError = await checkRoot(root);
  if (rootError !== undefined) return missingRoot(rootError);
  const { index, folderId } = options;
  const session = new ScanSession(root, options);
  return session.run(async () => {
    const targets = outermost(paths);
    const scope = new Map<RelativePath, LocalEntry>();
    for (const path of targets) {
      const entry = index.localEntry(folderId, path);
      if (entry !== undefined) scope.set(path, entry);
      for (const [below, belowEntry] of index.localEntriesUnder(folderId, path)) scope.set(below, belowEntry);
    }
    const reachable = new ReachableDirs(root, options.ignore);
    const files: RelativePath[] = [];
    const dirs: RelativePath[] = [];
    await forEachConcurrently(targets, session.statConcurrency, async (path) => {
      const parent = await reachable.check(parentOf(path));
      if (parent !== 'yes') {
        if (parent !== 'no') session.keep(path, parent.code, true);
        return;
      }
      if (isInternalName(baseName(path))) return;
      try {
        const stats = await lstat(join(root, path));
        if (stats.isDirectory()) {
          if (!options.ignore?.(path, true)) dirs.push(path);
        } else if (stats.isFile()) {
          if (!options.ignore?.(path, false)) files.push(path);
        } else {
          session.skip({ path, reason: stats.isSymbolicLink() ? 'symlink' : 'special' });
        }
      } catch (error) {
        const code = errorCode(error);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') session.keep(path, code, true);
      }
    }, options.signal);
    session.countSeen(files.length);
    for (const dir of dirs) files.push(...(await session.walk(dir)));
    await session.examine(files, scope);
    return scope;
  });
}

/** Answers, once per directory, whether a full walk would reach it: 'yes', 'no', or a read error. */
class ReachableDirs {
  private readonly answers = new Map<RelativePath, Promise<'yes' | 'no' | { code: string }>>([['', Promise.resolve('yes')]]);

  constructor(
    private readonly root: string,
    private readonly ignore: IgnoreRule | undefined,
  ) {}

  check(dir: RelativePath): Promise<'yes' | 'no' | { code: string }> {
    let answer = this.answers.get(dir);
    if (answer === undefined) {
      answer = this.decide(dir);
      this.answers.set(dir, answer);
    }
    return answer;
  }

  private async decide(dir: RelativePath): Promise<'yes' | 'no' | { code: string }> {
    const parent = await this.check(parentOf(dir));
    if (parent !== 'yes') return parent;
    if (isInternalName(baseName(dir)) || this.ignore?.(dir, true)) return 'no';
    try {
      return (await lstat(join(this.root, dir))).isDirectory() ? 'yes' : 'no';
    } catch (error) {
      const code = errorCode(error);
      return code === 'ENOENT' || code === 'ENOTDIR' ? 'no' : { code };
    }
  }
}

/** Drops duplicates and any path inside another given one (the walk of the outer one covers it). */
function outermost(paths: readonly RelativePath[]): RelativePath[] {
  // Sorted, an ancestor comes before its descendants (a prefix sorts first), though not always right before.
  const kept = new Set<RelativePath>();
  for (const path of [...new Set(paths)].sort()) {
    if (!ancestorsOf(path).some((ancestor) => kept.has(ancestor))) kept.add(path);
  }
  return [...kept];
}

function ancestorsOf(path: RelativePath): RelativePath[] {
  const segments = path.split('/');
  return segments.slice(1).map((_, i) => segments.slice(0, i + 1).join('/'));
}

function parentOf(path: RelativePath): RelativePath {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

function baseName(path: RelativePath): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function assertRelative(path: RelativePath): void {
  const segments = path.split('/');
  if (path === '' || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new TypeError(`not a folder-relative path: ${JSON.stringify(path)}`);
  }
}
