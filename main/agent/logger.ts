// The process logger: JSON lines on stderr, with every field that could carry a secret redacted.
import { pino, type Logger } from 'pino';

/**
 * Paths pino blanks out wherever they appear. Request logging never passes headers, but a
 * redaction list means a future log call that does cannot leak a key.
 */
export const REDACTED_PATHS = [
  'headers.authorization',
  'headers["x-amz-server-side-encryption-customer-key"]',
  'headers["x-amz-copy-source-server-side-encryption-customer-key"]',
  'headers["x-amz-security-token"]',
  '*.secretAccessKey',
  '*.secret',
  '*.passphrase',
  '*.rootKey',
  '*.key',
  'secretAccessKey',
  'passphrase',
];

export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino({ level, base: undefined, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}

export type { Logger };
