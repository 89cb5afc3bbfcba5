// Proof that the root key given to LocalKms is the one kms.db was made with, checked before anything is sealed.
import { CryptoError } from '../../crypto/cryptoError.js';
import { openBytes, sealBytes } from '../../crypto/keyWrap.js';
import type { RandomSource } from '../../crypto/random.js';
import type { KmsRepository } from './kmsRepository.js';

const CHECK_SETTING = 'root_key_check';
const CHECK_AAD = Buffer.from('coffer/v1/kms-root-key-check', 'utf8');

/**
 * Without this, `coffer kms rotate-key-on-demand` run with a wrong COFFER_STORE_ROOT_KEY would seal
 * the new current material under that wrong key, and every later GenerateDataKey of the store would
 * fail. The first opener stores a sealed empty value; every later opener must be able to open it.
 * Call inside a write transaction.
 */
export function verifyRootKey(repo: KmsRepository, rootKey: Buffer, random: RandomSource): void {
  const stored = repo.setting(CHECK_SETTING);
  if (stored === undefined) {
    repo.setSettingIfAbsent(CHECK_SETTING, sealBytes(rootKey, Buffer.alloc(0), CHECK_AAD, random).toString('base64'));
    return;
  }
  try {
    openBytes(rootKey, Buffer.from(stored, 'base64'), CHECK_AAD);
  } catch (cause) {
    throw new CryptoError('the root key does not open this kms.db: it was created under another root key', { cause });
  }
}
