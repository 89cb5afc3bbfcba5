// The store's access key pair: from COFFER_ACCESS_KEY / COFFER_SECRET_KEY, or generated once and kept 0600.
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Credentials } from '../../core/store/auth/credentials.js';

export const CREDENTIALS_FILE = 'credentials.json';

const credentialsSchema = z.object({
  accessKeyId: z.string().regex(/^[A-Za-z0-9._-]{3,128}$/, 'access key: 3-128 characters of A-Z a-z 0-9 . _ -'),
  secretAccessKey: z.string().min(8, 'secret key: at least 8 characters').max(256),
});

export interface LoadedCredentials {
  credentials: Credentials;
  origin: 'environment' | 'file' | 'created';
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomAccessKey(): string {
  const bytes = randomBytes(17);
  return 'CF' + Array.from(bytes, (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

export function loadOrCreateCredentials(dataDir: string, env: NodeJS.ProcessEnv = process.env): LoadedCredentials {
  const accessKeyId = env.COFFER_ACCESS_KEY;
  const secretAccessKey = env.COFFER_SECRET_KEY;
  if (accessKeyId || secretAccessKey) {
    if (!accessKeyId || !secretAccessKey) throw new Error('set both COFFER_ACCESS_KEY and COFFER_SECRET_KEY, or neither');
    const parsed = credentialsSchema.safeParse({ accessKeyId, secretAccessKey });
    if (!parsed.success) throw new Error(`invalid credentials in the environment: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    return { credentials: parsed.data, origin: 'environment' };
  }
  const file = join(dataDir, CREDENTIALS_FILE);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== undefined) {
    if (statSync(file).mode & 0o077) throw new Error(`${file} is readable by other users; run chmod 600 on it`);
    const parsed = credentialsSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${file} is not a valid credentials file`);
    return { credentials: parsed.data, origin: 'file' };
  }
  const credentials = { accessKeyId: randomAccessKey(), secretAccessKey: randomBytes(30).toString('base64url') };
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return { credentials, origin: 'created' };
}
