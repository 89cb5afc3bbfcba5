// The benchmark's data sets on disk: many small files in folders, a few big ones, and the 1% rewrite.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RandomSource } from '../../main/core/crypto/random.js';

const MIB = 1024 * 1024;

/** What a file now holds, to check the store against after a sync. */
export interface WrittenFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  /** The S3 ETag of a single-part upload (SSE-S3 keeps MD5 ETags). */
  readonly md5: string;
}

function digestsOf(path: string, body: Buffer): WrittenFile {
  return { path, size: body.length, sha256: createHash('sha256').update(body).digest('hex'), md5: createHash('md5').update(body).digest('hex') };
}

/** `dir-07/file-01234.dat`: file i goes to folder i mod `folders`, so every folder gets its share. */
export function smallFilePath(i: number, folders: number): string {
  return `dir-${String(i % folders).padStart(2, '0')}/file-${String(i).padStart(5, '0')}.dat`;
}

/** Writes `count` files of `bytes` random bytes under `root`, spread over `folders` folders; returns their relative paths. */
export function writeSmallTree(root: string, count: number, folders: number, bytes: number, random: RandomSource): string[] {
  for (let f = 0; f < folders; f++) mkdirSync(join(root, dirname(smallFilePath(f, folders))), { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = smallFilePath(i, folders);
    writeFileSync(join(root, path), random(bytes));
    paths.push(path);
  }
  return paths;
}

/** `count` paths spread evenly over `paths` (every n-th), so changes land in many folders. Empty for count 0. */
export function spreadPick(paths: readonly string[], count: number): string[] {
  if (count <= 0 || paths.length === 0) return [];
  const step = paths.length / Math.min(count, paths.length);
  return Array.from({ length: Math.min(count, paths.length) }, (_, k) => paths[Math.floor(k * step)]!);
}

/** Overwrites each path in place with fresh random bytes of the same size; returns what each now holds. */
export function rewriteFiles(root: string, paths: readonly string[], bytes: number, random: RandomSource): WrittenFile[] {
  return paths.map((path) => {
    const body = random(bytes);
    writeFileSync(join(root, path), body);
    return digestsOf(path, body);
  });
}

/**
 * Writes a file of `mib` MiB: one random 1 MiB block, each copy stamped with the file's seed and
 * its block number so no two MiB are alike (nothing below can deduplicate or compress it).
 */
export function writeBigFile(file: string, mib: number, seed: number, random: RandomSource): void {
  mkdirSync(dirname(file), { recursive: true });
  const block = random(MIB);
  const fd = openSync(file, 'wx', 0o600);
  try {
    for (let i = 0; i < mib; i++) {
      block.writeUInt32LE(seed, 0);
      block.writeUInt32LE(i, 4);
      writeSync(fd, block);
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes `count` big files `file-NN.bin` into `root`; returns their relative paths. */
export function writeBigFiles(root: string, count: number, mib: number, random: RandomSource): string[] {
  return Array.from({ length: count }, (_, i) => {
    const path = `file-${String(i).padStart(2, '0')}.bin`;
    writeBigFile(join(root, path), mib, i, random);
    return path;
  });
}
