// The vault keyring travels beside a folder's data: each cycle merges the store's copy and adds what it lacks.
import type { ObjectStore } from '../remote/objectStore.js';
import { KEYRING_KEY } from './remoteLayout.js';

/** What the exchange needs from the vault (every version in the document stays sealed). */
export interface KeyringHolder {
  exportKeyring(): { keys: readonly { id: string }[] };
  /** Adds versions this vault lacks; throws when the document is damaged or not this user's. */
  mergeKeyring(document: unknown): number;
}

export interface KeyringExchangeResult {
  /** Versions another device made that this vault now has. */
  readonly merged: number;
  /** Whether this device's versions were written back (the store's copy lacked some). */
  readonly uploaded: boolean;
}

/**
 * Union by id in both directions, so rotations on two devices at once both survive. A lost race
 * (two devices writing at once) costs nothing: the next cycle of the device whose version is
 * missing writes it again. The document is sealed already, so it is stored with SSE-S3 whatever
 * the folder's mode (it must be readable before any per-file key is).
 */
export async function exchangeKeyring(store: ObjectStore, vault: KeyringHolder): Promise<KeyringExchangeResult> {
  const found = await store.getBytes(KEYRING_KEY);
  let merged = 0;
  const remoteIds = new Set<string>();
  if (found) {
    const document: unknown = JSON.parse(found.body.toString('utf8'));
    merged = vault.mergeKeyring(document);
    for (const key of (document as { keys?: { id?: unknown }[] }).keys ?? []) if (typeof key.id === 'string') remoteIds.add(key.id);
  }
  const local = vault.exportKeyring();
  const missing = local.keys.some((k) => !remoteIds.has(k.id));
  if (missing && local.keys.length > 0) {
    await store.putBytes(KEYRING_KEY, Buffer.from(JSON.stringify(local)), { encryption: { mode: 'sse-s3' } });
  }
  return { merged, uploaded: missing && local.keys.length > 0 };
}
