// The keyring object kept in the store: every master key version, still sealed, so each device of the user can merge them.
import { z } from 'zod';
import type { SqliteDatabase } from '../../db/openDatabase.js';
import { CryptoError } from '../../crypto/cryptoError.js';
import { insertSealedMasterKey, sealedMasterKeys, unsealMasterKey, type SealedMasterKey } from './masterKeyring.js';
import { KeyringError } from './vaultErrors.js';

export const KEYRING_FORMAT = 'coffer-vault-keyring';

/**
 * Safe to store in a bucket: each version is sealed under a key derived from the recovery secret,
 * with its id and creation time bound, so the document opens only for holders of that secret.
 */
export interface KeyringDocument {
  format: typeof KEYRING_FORMAT;
  version: 1;
  keys: { id: string; createdAt: string; sealed: string }[];
}

const documentSchema = z.object({
  format: z.literal(KEYRING_FORMAT),
  version: z.literal(1),
  keys: z.array(
    z.object({
      id: z.string().regex(/^[0-9a-f]{16}$/),
      createdAt: z.iso.datetime(),
      sealed: z.base64().min(1),
    }),
  ),
});

export function keyringDocument(db: SqliteDatabase): KeyringDocument {
  return {
    format: KEYRING_FORMAT,
    version: 1,
    keys: sealedMasterKeys(db).map((v) => ({ id: v.id, createdAt: new Date(v.createdAt).toISOString(), sealed: v.sealed.toString('base64') })),
  };
}

function parseKeyring(document: unknown): SealedMasterKey[] {
  const parsed = documentSchema.safeParse(document);
  if (!parsed.success) throw new KeyringError(`not a vault keyring: ${parsed.error.issues[0]!.path.join('.') || 'document'} ${parsed.error.issues[0]!.message}`);
  return parsed.data.keys.map((k) => ({ id: k.id, createdAt: Date.parse(k.createdAt), sealed: Buffer.from(k.sealed, 'base64') }));
}

/** Whether this vault's version holds the same time and bytes as an incoming one of the same id. */
function sameVersion(kek: Buffer, mine: SealedMasterKey, createdAt: number, key: Buffer): boolean {
  if (mine.createdAt !== createdAt) return false;
  let local: Buffer;
  try {
    local = unsealMasterKey(kek, mine);
  } catch (err) {
    if (err instanceof CryptoError) return false;
    throw err;
  }
  const equal = local.equals(key);
  local.fill(0);
  return equal;
}

/**
 * Adds the versions this vault lacks (a union: nothing is removed or replaced) and returns how many.
 * All or nothing: KeyringError if the document is malformed, if any version fails to open under
 * `kek` (damaged, or another vault's), or if a version this vault already has opens to other bytes.
 */
export function mergeKeyringDocument(db: SqliteDatabase, kek: Buffer, document: unknown): number {
  const incoming = parseKeyring(document);
  const local = new Map(sealedMasterKeys(db).map((v) => [v.id, v]));
  const toAdd: SealedMasterKey[] = [];
  for (const version of incoming) {
    let key: Buffer;
    try {
      key = unsealMasterKey(kek, version);
    } catch (err) {
      if (err instanceof CryptoError) throw new KeyringError(`keyring version ${version.id} does not open with this vault's recovery secret (damaged, or another vault's); nothing was merged`);
      throw err;
    }
    const mine = local.get(version.id);
    const same = mine ? sameVersion(kek, mine, version.createdAt, key) : true;
    key.fill(0);
    if (!same) throw new KeyringError(`keyring version ${version.id} differs from this vault's version of the same id; nothing was merged`);
    if (!mine && !toAdd.some((v) => v.id === version.id)) toAdd.push(version);
  }
  db.transaction(() => {
    for (const version of toAdd) insertSealedMasterKey(db, version);
  }).immediate();
  return toAdd.length;
}
