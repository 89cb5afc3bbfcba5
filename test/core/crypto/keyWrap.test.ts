import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../../main/core/crypto/cryptoError.js';
import { deriveKey, openBytes, openKey, sealBytes, sealKey } from '../../../main/core/crypto/keyWrap.js';
import { scriptedRandom } from './helpers.js';

const KEK = Buffer.alloc(32, 0x11);
const OTHER_KEK = Buffer.alloc(32, 0x22);
const DATA_KEY = Buffer.alloc(32, 0x33);
const AAD = Buffer.from('photos/2024/holiday.jpg');

describe('sealBytes / openBytes', () => {
  it('round trips, with layout version || nonce || ciphertext || tag', () => {
    const nonce = Buffer.alloc(12, 0x44);
    const sealed = sealBytes(KEK, Buffer.from('hello'), AAD, scriptedRandom(nonce));
    expect(sealed.length).toBe(1 + 12 + 5 + 16);
    expect(sealed[0]).toBe(0x01);
    expect(sealed.subarray(1, 13).equals(nonce)).toBe(true);
    expect(openBytes(KEK, sealed, AAD).toString()).toBe('hello');
  });

  it('round trips an empty value and uses a fresh nonce per seal', () => {
    const a = sealBytes(KEK, Buffer.alloc(0), AAD);
    const b = sealBytes(KEK, Buffer.alloc(0), AAD);
    expect(a.equals(b)).toBe(false);
    expect(openBytes(KEK, a, AAD).length).toBe(0);
  });

  it.each<[string, (sealed: Buffer) => unknown]>([
    ['a wrong KEK', (sealed) => openBytes(OTHER_KEK, sealed, AAD)],
    ['a wrong AAD', (sealed) => openBytes(KEK, sealed, Buffer.from('photos/other.jpg'))],
    ['a flipped nonce byte', (sealed) => openBytes(KEK, flip(sealed, 3), AAD)],
    ['a flipped ciphertext byte', (sealed) => openBytes(KEK, flip(sealed, 14), AAD)],
    ['a flipped tag byte', (sealed) => openBytes(KEK, flip(sealed, sealed.length - 1), AAD)],
    ['a wrong version', (sealed) => openBytes(KEK, Buffer.concat([Buffer.of(0x02), sealed.subarray(1)]), AAD)],
    ['a truncated value', (sealed) => openBytes(KEK, sealed.subarray(0, 28), AAD)],
    ['a value shorter than its overhead', () => openBytes(KEK, Buffer.alloc(10, 1), AAD)],
  ])('rejects %s with CryptoError', (_case, open) => {
    const sealed = sealBytes(KEK, DATA_KEY, AAD);
    expect(() => open(sealed)).toThrow(CryptoError);
  });

  it('rejects a KEK that is not 32 bytes', () => {
    expect(() => sealBytes(Buffer.alloc(16), DATA_KEY, AAD)).toThrow(RangeError);
    expect(() => openBytes(Buffer.alloc(16), Buffer.alloc(64), AAD)).toThrow(RangeError);
  });
});

describe('sealKey / openKey', () => {
  it('round trips a 32-byte key', () => {
    expect(openKey(KEK, sealKey(KEK, DATA_KEY, AAD), AAD).equals(DATA_KEY)).toBe(true);
  });

  it('refuses to seal anything but a 32-byte key', () => {
    expect(() => sealKey(KEK, Buffer.alloc(31), AAD)).toThrow(RangeError);
  });

  it('refuses to open an authentic value that is not a 32-byte key', () => {
    expect(() => openKey(KEK, sealBytes(KEK, Buffer.alloc(16), AAD), AAD)).toThrow(CryptoError);
  });
});

describe('deriveKey', () => {
  it('is HMAC-SHA256(secret, label || 0x00 || context)', () => {
    const secret = Buffer.alloc(32, 7);
    const expected = createHmac('sha256', secret).update(Buffer.from('coffer/test\0ctx', 'utf8')).digest();
    expect(deriveKey(secret, 'coffer/test', Buffer.from('ctx')).equals(expected)).toBe(true);
  });

  it('separates labels and contexts', () => {
    const secret = Buffer.alloc(32, 7);
    const base = deriveKey(secret, 'a', Buffer.from('b'));
    expect(deriveKey(secret, 'ab', Buffer.alloc(0)).equals(base)).toBe(false);
    expect(deriveKey(secret, 'a', Buffer.from('c')).equals(base)).toBe(false);
  });

  it('rejects a label containing NUL', () => {
    expect(() => deriveKey(Buffer.alloc(32), 'a\0b', Buffer.alloc(0))).toThrow(RangeError);
  });
});

function flip(buf: Buffer, offset: number): Buffer {
  const copy = Buffer.from(buf);
  copy[offset] = (copy[offset] ?? 0) ^ 0x01;
  return copy;
}
