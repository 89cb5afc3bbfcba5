// Getting a Vault: open an existing one (locked), create one with a passphrase, or recover one on a new machine from the recovery key.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { systemRandom } from '../../crypto/random.js';
import { MasterKeyring } from './masterKeyring.js';
import { assertNewPassphrase } from './passphrasePolicy.js';
import { formatRecoveryKey, parseRecoveryKey, RECOVERY_SECRET_BYTES } from './recoveryKey.js';
import { calibrateKdf } from './scryptKdf.js';
import { readUnlockRecord, sealUnderPassphrase, writeUnlockRecord } from './unlockRecord.js';
import { Vault } from './vault.js';
import { VaultExistsError } from './vaultErrors.js';
import { vaultEvents } from './vaultEvents.js';
import { installVaultFile, openVaultDatabase, vaultPath, withDamageCheck } from './vaultFile.js';
import { masterKeysKek } from './vaultKeys.js';
import type { VaultOptions } from './vaultTypes.js';

/**
 * The data dir's vault, locked. VaultMissingError, VaultCorruptError (not SQLite, not a vault, no
 * unlock record) or SchemaTooNewError; a refused file is left exactly as it was.
 */
export function openVault(dataDir: string, options: VaultOptions = {}): Vault {
  const file = vaultPath(dataDir);
  const db = openVaultDatabase(file);
  try {
    withDamageCheck(file, () => readUnlockRecord(db));
    return new Vault(db, file, options);
  } catch (err) {
    db.close();
    throw err;
  }
}

function prepareDataDir(dataDir: string): void {
  mkdirSync(resolve(dataDir), { recursive: true, mode: 0o700 });
  if (existsSync(vaultPath(dataDir))) throw new VaultExistsError(vaultPath(dataDir));
}

/** A new vault file holding `secret` under `passphrase`, with a first master key version or none; returns the vault, unlocked. */
async function writeNewVault(dataDir: string, passphrase: string, secret: Buffer, withMasterKey: boolean, options: VaultOptions): Promise<Vault> {
  const random = options.random ?? systemRandom;
  const now = options.now ?? (() => new Date());
  const kdf = options.kdf ?? (await calibrateKdf());
  const record = await sealUnderPassphrase(secret, passphrase, kdf, random, now().getTime());
  installVaultFile(dataDir, (db) => {
    writeUnlockRecord(db, record);
    if (!withMasterKey) return;
    const kek = masterKeysKek(secret);
    const ring = new MasterKeyring(db, kek, random, now);
    ring.add();
    ring.wipe();
    kek.fill(0);
  });
  const vault = openVault(dataDir, options);
  vault.adoptRecoverySecret(Buffer.from(secret));
  return vault;
}

/**
 * Creates `<dataDir>/vault.sqlite` (making the directory, mode 0700, if needed) with a random
 * recovery secret sealed under `passphrase` and a first master key version, and returns it
 * unlocked with the recovery key to show the user once. scrypt cost: `options.kdf`, else
 * calibrated to about 0.5 s here (never below N=2^15, r=8, p=1). VaultExistsError if a vault is
 * there (checked before and, atomically, after the slow key derivation); RangeError for a
 * passphrase under 8 characters.
 */
export async function createVault(dataDir: string, passphrase: string, options: VaultOptions = {}): Promise<{ vault: Vault; recoveryKey: string }> {
  assertNewPassphrase(passphrase);
  prepareDataDir(dataDir);
  const random = options.random ?? systemRandom;
  const secret = random(RECOVERY_SECRET_BYTES);
  if (secret.length !== RECOVERY_SECRET_BYTES) throw new RangeError('random source returned the wrong length');
  try {
    const vault = await writeNewVault(dataDir, passphrase, secret, true, options);
    vaultEvents(options).emit('VaultInit', { keyVersion: vault.masterKeys().at(-1)?.id });
    return { vault, recoveryKey: formatRecoveryKey(secret) };
  } finally {
    secret.fill(0);
  }
}

/**
 * On a new machine: a vault whose recovery secret is the one in `recoveryKey`, under a new
 * passphrase, unlocked. It has no master key version until it merges the keyring from the store
 * (currentMasterKey() throws NoMasterKeyError until then; ensureMasterKey() makes one if the user
 * has none anywhere). RecoveryKeyError for a typo; VaultExistsError; RangeError for a short passphrase.
 */
export async function recoverVault(dataDir: string, recoveryKey: string, newPassphrase: string, options: VaultOptions = {}): Promise<Vault> {
  assertNewPassphrase(newPassphrase);
  const secret = parseRecoveryKey(recoveryKey);
  try {
    prepareDataDir(dataDir);
    const vault = await writeNewVault(dataDir, newPassphrase, secret, false, options);
    vaultEvents(options).emit('VaultRecover');
    return vault;
  } finally {
    secret.fill(0);
  }
}
