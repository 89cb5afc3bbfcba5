// Decides what one path is now: an unchanged file (stored hash reused), a changed one (hashed), gone, skipped, unstable or unreadable.
import { lstatSync, type Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import type { LocalEntry } from '../index/localIndex.js';
import type { LocalFile, RelativePath } from '../syncTypes.js';
import { hashFile, hashFileSync, type FileDigest } from './hashFile.js';
import { errorCode } from './walkTree.js';

/** What an lstat says, before any content is read. */
export type StatOutcome =
  | { readonly kind: 'unchanged'; readonly file: LocalFile }
  | { readonly kind: 'needs-hash'; readonly stats: Stats }
  | { readonly kind: 'dir' }
  | { readonly kind: 'gone' }
  | { readonly kind: 'skipped'; readonly reason: 'symlink' | 'special' }
  | { readonly kind: 'error'; readonly code: string };

export type HashOutcome =
  | { readonly kind: 'hashed'; readonly file: LocalFile }
  | { readonly kind: 'gone' }
  | { readonly kind: 'unstable' }
  | { readonly kind: 'error'; readonly code: string };

/** lstat only (never follows a link); `prior` is what the index holds for the path, if anything. */
export async function statPath(absolute: string, path: RelativePath, prior: LocalEntry | undefined): Promise<StatOutcome> {
  let stats: Stats;
  try {
    stats = await lstat(absolute);
  } catch (error) {
    return statFailure(error);
  }
  return classify(stats, path, prior);
}

/**
 * statPath on the calling thread: no trip through the thread pool, which on a local disk with
 * its metadata cached is several times cheaper; the caller bounds how long it blocks.
 */
export function statPathSync(absolute: string, path: RelativePath, prior: LocalEntry | undefined): StatOutcome {
  let stats: Stats | undefined;
  try {
    stats = lstatSync(absolute, { throwIfNoEntry: false });
  } catch (error) {
    return statFailure(error);
  }
  return stats === undefined ? { kind: 'gone' } : classify(stats, path, prior);
}

function statFailure(error: unknown): StatOutcome {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'gone' } : { kind: 'error', code };
}

function classify(stats: Stats, path: RelativePath, prior: LocalEntry | undefined): StatOutcome {
  if (stats.isSymbolicLink()) return { kind: 'skipped', reason: 'symlink' };
  if (stats.isDirectory()) return { kind: 'dir' };
  if (!stats.isFile()) return { kind: 'skipped', reason: 'special' };
  if (prior !== undefined && sameVersion(prior, stats)) {
    return { kind: 'unchanged', file: { path, size: prior.size, mtimeMs: prior.mtimeMs, inode: prior.inode, sha256: prior.sha256 } };
  }
  return { kind: 'needs-hash', stats };
}

/** What a hash and the lstat after it say: the file as hashed, or unstable when it changed meanwhile. */
function hashedOutcome(path: RelativePath, before: Stats, digest: FileDigest, after: Stats): HashOutcome {
  if (digest.bytesRead !== before.size) return { kind: 'unstable' };
  if (!after.isFile() || after.size !== before.size || after.mtimeMs !== before.mtimeMs || after.ino !== before.ino) {
    return { kind: 'unstable' };
  }
  return { kind: 'hashed', file: { path, size: before.size, mtimeMs: before.mtimeMs, inode: before.ino, sha256: digest.sha256 } };
}

function hashFailure(error: unknown): HashOutcome {
  const code = errorCode(error);
  // EISDIR: replaced by a directory since the lstat; the next scan sees the directory.
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' ? { kind: 'gone' } : { kind: 'error', code };
}

/**
 * Hashes a file stat'ed as `before`, then lstats it again: a different size, mtime or inode
 * afterwards (or a byte count that disagrees with the size) means it changed while being read.
 */
export async function hashPath(
  absolute: string,
  path: RelativePath,
  before: Stats,
  options: { signal?: AbortSignal; onBytes?: (bytes: number) => void },
): Promise<HashOutcome> {
  try {
    const digest = await hashFile(absolute, before.size, options);
    return hashedOutcome(path, before, digest, await lstat(absolute));
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return hashFailure(error);
  }
}

/** hashPath on the calling thread, for a small file (see CallingThreadBudget). */
export function hashPathSync(absolute: string, path: RelativePath, before: Stats, onBytes?: (bytes: number) => void): HashOutcome {
  try {
    const digest = hashFileSync(absolute, before.size, onBytes);
    return hashedOutcome(path, before, digest, lstatSync(absolute));
  } catch (error) {
    return hashFailure(error);
  }
}

function sameVersion(prior: LocalEntry, stats: Stats): boolean {
  return prior.size === stats.size && prior.mtimeMs === stats.mtimeMs && prior.inode === stats.ino;
}
