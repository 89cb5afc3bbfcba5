// Test support: the store's blob files on disk, found through store.db as anyone holding the data dir could, and damaged in place.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';

/** Bytes before segment 0 of a stored stream (docs/at-rest-format.md 2.1). */
export const STREAM_HEADER_BYTES = 32;
/** Plaintext bytes of every segment but the last (2.2). */
export const SEGMENT_PLAIN_BYTES = 65_536;
/** Stored bytes of a full segment: ciphertext plus its 16-byte GCM tag (2.2). */
export const SEGMENT_STORED_BYTES = SEGMENT_PLAIN_BYTES + 16;

/** Where segment `index` of a stored stream begins in its blob file. */
export function segmentOffset(index: number): number {
  return STREAM_HEADER_BYTES + index * SEGMENT_STORED_BYTES;
}

export function blobFilePath(dataDir: string, blobId: string): string {
  return join(dataDir, 'blobs', blobId.slice(0, 2), blobId);
}

function readStoreDb<T>(dataDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'store.db'), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/**
 * The blob files of an object's streams, in part order (one for a single PUT).
 * Throws when the object does not exist or a stream is kept inline in store.db rather than as a file.
 */
export function objectBlobFiles(dataDir: string, bucket: string, key: string): string[] {
  return readStoreDb(dataDir, (db) => {
    const ids = db.prepare('SELECT blob_id FROM object_streams WHERE bucket = ? AND key = ? ORDER BY seq').pluck().all(bucket, key) as string[];
    if (ids.length === 0) throw new Error(`no object ${bucket}/${key} in store.db`);
    for (const id of ids) {
      if (db.prepare('SELECT 1 FROM inline_blobs WHERE blob_id = ?').get(id) !== undefined) throw new Error(`a stream of ${bucket}/${key} is inline, not a file`);
    }
    return ids.map((id) => blobFilePath(dataDir, id));
  });
}

/** Flips the lowest bit of one stored byte, as a failing disk or someone with write access could. */
export function flipByte(file: string, offset: number): void {
  const bytes = readFileSync(file);
  if (offset < 0 || offset >= bytes.length) throw new Error(`offset ${offset} is outside a ${bytes.length}-byte file`);
  bytes[offset]! ^= 0x01;
  writeFileSync(file, bytes);
}

/** Every blob file under the data dir, by name (its blob id). */
export function blobFileNames(dataDir: string): Set<string> {
  const root = join(dataDir, 'blobs');
  return new Set(readdirSync(root).flatMap((shard) => readdirSync(join(root, shard))));
}

/** Every blob file is named by a committed object stream or upload part, and every such file blob exists. */
export function expectNoOrphanBlobs(dataDir: string): void {
  const referenced = readStoreDb(dataDir, (db) =>
    (db.prepare('SELECT blob_id FROM object_streams UNION SELECT blob_id FROM upload_parts').pluck().all() as string[]).filter(
      (id) => db.prepare('SELECT 1 FROM inline_blobs WHERE blob_id = ?').get(id) === undefined,
    ),
  );
  expect(blobFileNames(dataDir)).toEqual(new Set(referenced));
}

/**
 * The same, on a store still running: the files a commit leaves unreferenced are unlinked after it
 * answers (storage/backgroundUnlinks.ts), so this waits up to `withinMs` for them to go.
 */
export async function expectNoOrphanBlobsSoon(dataDir: string, withinMs = 10_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      expectNoOrphanBlobs(dataDir);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Every regular file under `dir`, at any depth. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}
