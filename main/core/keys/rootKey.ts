// The store root key: the one secret that seals the SSE-S3 keyring, from the environment or a 0600 file.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, statSync, openSync, closeSync, fsyncSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT_KEY_BYTES = 32;
export const ROOT_KEY_FILE = 'root.key';
export const ROOT_KEY_ENV = 'COFFER_STORE_ROOT_KEY';

export class RootKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RootKeyError';
  }
}

/** Accepts 32 bytes as base64 or hex; anything else is refused rather than guessed at. */
export function parseRootKey(text: string, origin: string): Buffer {
  const trimmed = text.trim();
  const decoded = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (decoded.length !== ROOT_KEY_BYTES || (!/^[0-9a-fA-F]{64}$/.test(trimmed) && decoded.toString('base64') !== trimmed)) {
    throw new RootKeyError(`${origin} must hold a 32-byte key as 64 hex digits or base64`);
  }
  return decoded;
}

export interface RootKeySource {
  key: Buffer;
  origin: 'environment' | 'file' | 'created';
}

/**
 * The environment wins (keys can live in a secret manager); otherwise the data dir's root.key,
 * created with mode 0600 on first start. Losing this key makes every SSE-S3 object unreadable.
 */
export function loadOrCreateRootKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): RootKeySource {
  const fromEnv = env[ROOT_KEY_ENV];
  if (fromEnv) return { key: parseRootKey(fromEnv, ROOT_KEY_ENV), origin: 'environment' };
  const file = join(dataDir, ROOT_KEY_FILE);
  try {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) throw new RootKeyError(`${file} is readable by other users (mode ${mode.toString(8)}); run chmod 600 on it`);
    return { key: parseRootKey(readFileSync(file, 'utf8'), file), origin: 'file' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(ROOT_KEY_BYTES);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { key, origin: 'created' };
}

/**
 * For tools that administer an existing store (key rotation, KMS, re-seal, access history): the
 * environment's key, else root.key, and never a new one. A new key would seal new material the
 * running store cannot open, or make every signature in the log look forged.
 */
export function loadExistingRootKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): RootKeySource {
  if (!env[ROOT_KEY_ENV] && !existsSync(join(dataDir, ROOT_KEY_FILE))) {
    throw new RootKeyError(`no store root key: set ${ROOT_KEY_ENV} as the store has it, or keep ${ROOT_KEY_FILE} in ${dataDir}`);
  }
  return loadOrCreateRootKey(dataDir, env);
}
