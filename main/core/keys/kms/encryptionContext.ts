// The encryption context: a string-to-string map bound to a data key as AAD, in one canonical byte form.
import { KmsError } from './kmsError.js';

/** Non-secret key-value pairs (S3 adds `aws:s3:arn`); decrypting must present exactly the same map. */
export type EncryptionContext = Readonly<Record<string, string>>;

/** Checks that `context` is a plain string-to-string map, the only shape KMS accepts. */
export function assertEncryptionContext(context: unknown): asserts context is EncryptionContext {
  if (context === null || typeof context !== 'object' || Array.isArray(context)) {
    throw new KmsError('ValidationException', 'EncryptionContext must be a map of strings to strings');
  }
  for (const [key, value] of Object.entries(context)) {
    if (typeof value !== 'string') {
      throw new KmsError('ValidationException', `EncryptionContext value for '${key}' must be a string`);
    }
  }
}

function byCodePoint(a: string, b: string): number {
  // UTF-8 byte order equals code point order; plain `<` compares UTF-16 units and would sort
  // astral characters before U+E000-U+FFFF, which other languages' canonical forms would not.
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * UTF-8 of a JSON object with its keys sorted by code point and no whitespace, e.g.
 * `{"aws:s3:arn":"arn:aws:s3:::b/k","team":"x"}`. Written out pair by pair because JSON.stringify
 * would move integer-like keys ("10", "2") to the front in numeric order. Case-sensitive, as in AWS.
 */
export function canonicalContext(context: EncryptionContext = {}): Buffer {
  const pairs = Object.keys(context)
    .sort(byCodePoint)
    .map((key) => `${JSON.stringify(key)}:${JSON.stringify(context[key])}`);
  return Buffer.from(`{${pairs.join(',')}}`, 'utf8');
}
