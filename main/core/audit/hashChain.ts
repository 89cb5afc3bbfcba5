// The chain's hash and MAC formulas (byte layouts in AUDIT-LOG.md): event hashes, digest, checkpoint and settings signatures.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../crypto/keyWrap.js';

export const HASH_BYTES = 32;

/** The previous hash of event 1 in a log that was never pruned: SHA-256 of a fixed label. */
export const GENESIS_HASH: Buffer = createHash('sha256').update('coffer/v1/audit-genesis', 'utf8').digest();

/** deriveKey label for the key that signs digests, checkpoints and settings. */
export const DIGEST_KEY_LABEL = 'coffer/v1/audit-digest';

function u64(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('sequence numbers are non-negative safe integers');
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}

/** SHA-256(previous hash || UTF-8 canonical event JSON || seq as u64 big-endian). */
export function chainHash(previous: Buffer, eventJson: string, seq: number): Buffer {
  return createHash('sha256').update(previous).update(eventJson, 'utf8').update(u64(seq)).digest();
}

/**
 * The digest key of one log: the log id (random, in its settings) is the context, so a digest
 * copied from another Coffer's log never verifies here even under the same root key.
 */
export function deriveDigestKey(rootKey: Buffer, logId: string): Buffer {
  return deriveKey(rootKey, DIGEST_KEY_LABEL, Buffer.from(logId, 'utf8'));
}

// Each MAC starts with its own NUL-terminated label, so a digest can never pass as a checkpoint.
function mac(key: Buffer, label: string, ...parts: Buffer[]): Buffer {
  const hmac = createHmac('sha256', key).update(label, 'utf8').update(Buffer.of(0));
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

export function digestMac(key: Buffer, firstSeq: number, lastSeq: number, lastHash: Buffer): Buffer {
  return mac(key, 'digest', u64(firstSeq), u64(lastSeq), lastHash);
}

export function checkpointMac(key: Buffer, seq: number, hash: Buffer): Buffer {
  return mac(key, 'checkpoint', u64(seq), hash);
}

export function settingsMac(key: Buffer, settingsJson: string): Buffer {
  return mac(key, 'settings', Buffer.from(settingsJson, 'utf8'));
}

/** Constant-time comparison; false for different lengths or a non-Buffer (a tampered column type). */
export function sameBytes(a: unknown, b: Buffer): boolean {
  return Buffer.isBuffer(a) && a.length === b.length && timingSafeEqual(a, b);
}
