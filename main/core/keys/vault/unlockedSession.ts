// What an unlocked vault holds in memory, derived from the recovery secret, and how it is wiped.
import type { SqliteDatabase } from '../../db/openDatabase.js';
import type { RandomSource } from '../../crypto/random.js';
import { Credentials } from './credentials.js';
import { FileKeys } from './fileKeys.js';
import { MasterKeyring } from './masterKeyring.js';
import { credentialsKek, masterKeysKek } from './vaultKeys.js';

/** Exists only while unlocked; every buffer in it is zero-filled by wipeSession. */
export interface Session {
  secret: Buffer;
  masterKek: Buffer;
  credentialKek: Buffer;
  ring: MasterKeyring;
  fileKeys: FileKeys;
  credentials: Credentials;
}

/** Takes ownership of `secret`. Nothing is opened yet: call ring.openAll() to check the versions. */
export function openSession(db: SqliteDatabase, secret: Buffer, random: RandomSource, now: () => Date): Session {
  const masterKek = masterKeysKek(secret);
  const credentialKek = credentialsKek(secret);
  const ring = new MasterKeyring(db, masterKek, random, now);
  return {
    secret,
    masterKek,
    credentialKek,
    ring,
    fileKeys: new FileKeys(db, ring, random, now),
    credentials: new Credentials(db, credentialKek, random, now),
  };
}

export function wipeSession(session: Session): void {
  session.ring.wipe();
  session.secret.fill(0);
  session.masterKek.fill(0);
  session.credentialKek.fill(0);
}
