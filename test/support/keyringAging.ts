// Test support: reads and back-dates the SSE-S3 master keyring of a store data dir, as a scheduled rotation sees it.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCoffer } from './cofferCli.js';

/** The keyring as `coffer store list-master-keys --json` reports it (root key from the data dir's root.key); throws if the command fails. */
export async function listedMasterKeys(dataDir: string): Promise<{ version: number; createdAt: number }[]> {
  const listed = await runCoffer(['store', 'list-master-keys', '--data-dir', dataDir, '--json'], { COFFER_STORE_ROOT_KEY: '' });
  if (listed.code !== 0) throw new Error(`list-master-keys exited ${listed.code}: ${listed.stderr}`);
  return (JSON.parse(listed.stdout) as { version: number; createdAt: string }[]).map((v) => ({ version: v.version, createdAt: Date.parse(v.createdAt) }));
}

/** Makes the newest master key version `ageMs` old. Only while no store has the data dir open. */
export function ageNewestMasterKey(dataDir: string, ageMs: number): void {
  const db = new Database(join(dataDir, 'store.db'));
  try {
    db.prepare('UPDATE master_keys SET created_at = ? WHERE version = (SELECT MAX(version) FROM master_keys)').run(Date.now() - ageMs);
  } finally {
    db.close();
  }
}

/** The master key version an SSE-S3 object's key is sealed with (undefined for a missing object or another mode). */
export function sealedMasterKeyVersion(dataDir: string, objectKey: string): number | undefined {
  const db = new Database(join(dataDir, 'store.db'), { readonly: true });
  try {
    return (db.prepare("SELECT json_extract(encryption, '$.masterKeyVersion') FROM objects WHERE key = ?").pluck().get(objectKey) as number | null | undefined) ?? undefined;
  } finally {
    db.close();
  }
}
