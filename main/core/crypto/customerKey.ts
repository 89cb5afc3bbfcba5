// The SSE-C key check and key-encryption key, so the store never keeps the customer key or its MD5.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { systemRandom, type RandomSource } from './random.js';

const CUSTOMER_KEY_BYTES = 32; // SSE-C AES256 keys are 256-bit
const PROOF_SALT_BYTES = 32;
const VERIFIER_BYTES = 32;
const VERIFIER_LABEL = Buffer.from('coffer/v1/sse-c-verifier', 'ascii');
const KEK_LABEL = Buffer.from('coffer/v1/sse-c-kek', 'ascii');

/** Safe to store: a salted HMAC that checks a presented key without revealing it. */
export interface CustomerKeyProof {
  salt: Buffer;
  verifier: Buffer;
}

function assertCustomerKey(customerKey: Buffer): void {
  if (customerKey.length !== CUSTOMER_KEY_BYTES) {
    throw new RangeError(`customer key must be ${CUSTOMER_KEY_BYTES} bytes`);
  }
}

// The label and salt have fixed lengths, so label || salt || context is unambiguous.
function labelledHmac(customerKey: Buffer, label: Buffer, salt: Buffer, context: Buffer): Buffer {
  assertCustomerKey(customerKey);
  if (salt.length !== PROOF_SALT_BYTES) throw new RangeError(`proof salt must be ${PROOF_SALT_BYTES} bytes`);
  return createHmac('sha256', customerKey).update(label).update(salt).update(context).digest();
}

/**
 * A fresh proof for one object or upload. `context` is the caller's encoding of what the key
 * protects (the store passes bucket/key/upload identity), so a proof cannot be replayed elsewhere.
 */
export function createCustomerKeyProof(
  customerKey: Buffer,
  context: Buffer,
  random: RandomSource = systemRandom,
): CustomerKeyProof {
  const salt = random(PROOF_SALT_BYTES);
  if (salt.length !== PROOF_SALT_BYTES) throw new RangeError('random source returned the wrong length');
  return { salt, verifier: labelledHmac(customerKey, VERIFIER_LABEL, salt, context) };
}

/**
 * True when `customerKey` is the key the proof was made with, for this context. Compared in
 * constant time. A false answer is the clean "wrong key" signal (403), distinct from a
 * CryptoError on unsealing (a tampered sealed key, 500).
 */
export function customerKeyMatches(customerKey: Buffer, proof: CustomerKeyProof, context: Buffer): boolean {
  const expected = labelledHmac(customerKey, VERIFIER_LABEL, proof.salt, context);
  return proof.verifier.length === VERIFIER_BYTES && timingSafeEqual(expected, proof.verifier);
}

/**
 * The KEK that seals the object key in SSE-C mode; never stored, re-derived per request.
 * `salt` is the proof's salt: one stored salt serves both derivations, kept apart by their labels.
 */
export function customerKek(customerKey: Buffer, salt: Buffer, context: Buffer): Buffer {
  return labelledHmac(customerKey, KEK_LABEL, salt, context);
}
