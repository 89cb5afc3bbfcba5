// Sealing small secrets (object keys) under a key-encryption key, and labelled subkey derivation.
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { CryptoError } from './cryptoError.js';
import { systemRandom, type RandomSource } from './random.js';

const SEALED_VERSION = 0x01;
const KEK_BYTES = 32;
const WRAPPED_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const OVERHEAD_BYTES = 1 + NONCE_BYTES + TAG_BYTES;

function assertKek(kek: Buffer): void {
  if (kek.length !== KEK_BYTES) throw new RangeError(`key-encryption key must be ${KEK_BYTES} bytes`);
}

/**
 * AES-256-GCM seal: 0x01 (version) || 12-byte random nonce || ciphertext || 16-byte tag.
 * Random 96-bit nonces are safe for up to 2^32 seals per KEK (NIST SP 800-38D, 8.3); KEKs are
 * versioned and rotate long before that. `aad` binds the sealed value to its owner.
 */
export function sealBytes(kek: Buffer, plaintext: Buffer, aad: Buffer, random: RandomSource = systemRandom): Buffer {
  assertKek(kek);
  const nonce = random(NONCE_BYTES);
  if (nonce.length !== NONCE_BYTES) throw new RangeError('random source returned the wrong length');
  const cipher = createCipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const rest = cipher.final();
  return Buffer.concat([Buffer.of(SEALED_VERSION), nonce, body, rest, cipher.getAuthTag()]);
}

/** Opens a sealBytes result; CryptoError on a wrong version, short input, wrong KEK or AAD, or any flipped bit. */
export function openBytes(kek: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  assertKek(kek);
  if (sealed.length < OVERHEAD_BYTES) throw new CryptoError('sealed value is too short');
  if (sealed[0] !== SEALED_VERSION) throw new CryptoError('unsupported sealed value version');
  const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
  const ciphertext = sealed.subarray(1 + NONCE_BYTES, sealed.length - TAG_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const plain = decipher.update(ciphertext);
    decipher.final();
    return plain;
  } catch (cause) {
    throw new CryptoError('sealed value failed authentication', { cause });
  }
}

/** sealBytes for a 32-byte key; RangeError for any other length. */
export function sealKey(kek: Buffer, key: Buffer, aad: Buffer, random: RandomSource = systemRandom): Buffer {
  if (key.length !== WRAPPED_KEY_BYTES) throw new RangeError(`sealed key must be ${WRAPPED_KEY_BYTES} bytes`);
  return sealBytes(kek, key, aad, random);
}

/** openBytes that also insists the result is a 32-byte key (CryptoError otherwise). */
export function openKey(kek: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  const key = openBytes(kek, sealed, aad);
  if (key.length !== WRAPPED_KEY_BYTES) throw new CryptoError('sealed value is not a 32-byte key');
  return key;
}

/**
 * HMAC-SHA256(secret, UTF-8 label || 0x00 || context): a 32-byte subkey per purpose. The zero
 * byte ends the label, so labels must not contain one (RangeError).
 */
export function deriveKey(secret: Buffer, label: string, context: Buffer): Buffer {
  if (label.includes('\0')) throw new RangeError('key derivation label must not contain a NUL character');
  return createHmac('sha256', secret).update(label, 'utf8').update(Buffer.of(0)).update(context).digest();
}
