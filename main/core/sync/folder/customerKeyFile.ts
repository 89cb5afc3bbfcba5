// Reads a user's SSE-C key for a sse-c-key folder, and the fingerprint that lets Coffer refuse a different key.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export class CustomerKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CustomerKeyError';
  }
}

/** 32 raw bytes, or text holding 64 hex digits or the base64 of 32 bytes (what aws cli's fileb:// and --sse-c-key take). */
export function parseCustomerKey(content: Buffer, origin: string): Buffer {
  if (content.length === 32) return Buffer.from(content);
  const text = content.toString('utf8').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  const decoded = Buffer.from(text, 'base64');
  if (decoded.length === 32 && decoded.toString('base64') === text) return decoded;
  throw new CustomerKeyError(`${origin} must hold a 256-bit key: 32 raw bytes, 64 hex digits, or base64 of 32 bytes`);
}

export function readCustomerKeyFile(file: string): Buffer {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (err) {
    throw new CustomerKeyError(`cannot read the SSE-C key file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  return parseCustomerKey(content, `the SSE-C key file ${file}`);
}

/**
 * SHA-256 of a domain label and the key: identifies the key without revealing it (the key is 256
 * random bits, so the hash cannot be searched), and differs from the MD5 S3 sends on the wire.
 */
export function customerKeyFingerprint(key: Buffer): string {
  return createHash('sha256').update('coffer sse-c-key fingerprint\0').update(key).digest('hex');
}
