// The recovery secret as people write it down: Crockford base32 in groups of five with a typo-catching checksum.
import { createHash } from 'node:crypto';
import { base32Length, decodeBase32, encodeBase32 } from './crockfordBase32.js';
import { RecoveryKeyError } from './vaultErrors.js';

export const RECOVERY_SECRET_BYTES = 32;
/** The first two bytes of SHA-256(secret): a typo slips through once in 65 536. */
const CHECKSUM_BYTES = 2;
const KEY_CHARS = base32Length(RECOVERY_SECRET_BYTES + CHECKSUM_BYTES); // 55
const GROUP_CHARS = 5;

function checksum(secret: Buffer): Buffer {
  return createHash('sha256').update(secret).digest().subarray(0, CHECKSUM_BYTES);
}

/** `XXXXX-XXXXX-…` (11 groups of 5); RangeError unless the secret is 32 bytes. */
export function formatRecoveryKey(secret: Buffer): string {
  if (secret.length !== RECOVERY_SECRET_BYTES) throw new RangeError(`a recovery secret is ${RECOVERY_SECRET_BYTES} bytes`);
  const text = encodeBase32(Buffer.concat([secret, checksum(secret)]));
  return text.match(new RegExp(`.{1,${GROUP_CHARS}}`, 'g'))!.join('-');
}

/**
 * The 32-byte secret of a recovery key typed by a person: case, spaces and dashes do not matter,
 * and O/I/L are read as 0/1/1. RecoveryKeyError for a wrong length, a character outside the
 * alphabet (named by position, never echoed) or a checksum mismatch.
 */
export function parseRecoveryKey(text: string): Buffer {
  const compact = text.replace(/[\s-]+/g, '');
  if (compact.length !== KEY_CHARS) {
    throw new RecoveryKeyError(`a recovery key has ${KEY_CHARS} characters (not counting spaces and dashes); this one has ${compact.length}`);
  }
  const decoded = decodeBase32(compact, RECOVERY_SECRET_BYTES + CHECKSUM_BYTES);
  if (!Buffer.isBuffer(decoded)) {
    throw new RecoveryKeyError(`character ${decoded.badPosition} of the recovery key (not counting spaces and dashes) is not one a recovery key uses`);
  }
  const secret = Buffer.from(decoded.subarray(0, RECOVERY_SECRET_BYTES));
  const expected = checksum(secret);
  const matches = expected.equals(decoded.subarray(RECOVERY_SECRET_BYTES));
  decoded.fill(0);
  if (!matches) {
    secret.fill(0);
    throw new RecoveryKeyError('the recovery key has a typo: its checksum does not match; compare each group with the printed key');
  }
  return secret;
}
