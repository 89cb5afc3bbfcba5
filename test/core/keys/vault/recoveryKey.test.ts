// The recovery key's text form: Crockford base32 round trips, tolerant parsing, and typos caught by the checksum.
import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32 } from '../../../../main/core/keys/vault/crockfordBase32.js';
import { formatRecoveryKey, parseRecoveryKey, RecoveryKeyError } from '../../../../main/core/keys/vault/index.js';

const SECRET = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');

/** Replaces the character at `index` (of the compact key) with another valid one. */
function withTypo(key: string, index: number): string {
  const compact = key.replace(/-/g, '');
  const replacement = compact[index] === 'A' ? 'B' : 'A';
  return compact.slice(0, index) + replacement + compact.slice(index + 1);
}

describe('Crockford base32', () => {
  it('encodes five bits per character and decodes back, for every length up to 40 bytes', () => {
    expect(encodeBase32(Buffer.from([0xff]))).toBe('ZW');
    expect(encodeBase32(Buffer.from('hello'))).toBe('D1JPRV3F');
    for (let n = 1; n <= 40; n += 1) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff));
      expect(decodeBase32(encodeBase32(bytes), n)).toEqual(bytes);
    }
  });

  it('reads lower case and O, I, L as the digits they look like', () => {
    expect(decodeBase32('d1jprv3f', 5)).toEqual(Buffer.from('hello'));
    expect(decodeBase32('OI', 1)).toEqual(decodeBase32('01', 1));
    expect(decodeBase32('OL', 1)).toEqual(decodeBase32('01', 1));
  });

  it('reports the position of a character outside the alphabet, and non-zero padding bits', () => {
    expect(decodeBase32('D1JPUV3F', 5)).toEqual({ badPosition: 5 });
    expect(decodeBase32('ZZ', 1)).toEqual({ badPosition: 2 });
  });
});

describe('recovery keys', () => {
  it('prints 32 bytes plus a 2-byte checksum as 11 dash-separated groups of 5', () => {
    const key = formatRecoveryKey(SECRET);
    expect(key).toMatch(/^([0-9A-HJKMNP-TV-Z]{5}-){10}[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(parseRecoveryKey(key)).toEqual(SECRET);
  });

  it('parses regardless of case, spaces, dashes and line breaks', () => {
    const key = formatRecoveryKey(SECRET);
    expect(parseRecoveryKey(key.toLowerCase())).toEqual(SECRET);
    expect(parseRecoveryKey(key.replace(/-/g, ' '))).toEqual(SECRET);
    expect(parseRecoveryKey(`  ${key.replace(/-/g, '')}\n`)).toEqual(SECRET);
    expect(parseRecoveryKey(key.replace(/-(?=.{11}$)/, '\n'))).toEqual(SECRET);
  });

  it('detects a single mistyped character anywhere in the key with a clear error', () => {
    const key = formatRecoveryKey(SECRET);
    for (let i = 0; i < 54; i += 1) {
      expect(() => parseRecoveryKey(withTypo(key, i)), `typo at ${i}`).toThrow(/typo: its checksum does not match/);
    }
  });

  it('detects two swapped neighbouring characters', () => {
    const compact = formatRecoveryKey(SECRET).replace(/-/g, '');
    const i = [...compact].findIndex((c, j) => c !== compact[j + 1]);
    const swapped = compact.slice(0, i) + compact[i + 1] + compact[i] + compact.slice(i + 2);
    expect(() => parseRecoveryKey(swapped)).toThrow(RecoveryKeyError);
  });

  it('names a wrong length and a bad character by position, without echoing the key', () => {
    const key = formatRecoveryKey(SECRET);
    const short = key.slice(0, -1);
    expect(() => parseRecoveryKey(short)).toThrow('a recovery key has 55 characters (not counting spaces and dashes); this one has 54');
    const bad = `U${key.slice(1)}`;
    const err = (() => {
      try {
        parseRecoveryKey(bad);
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected an error');
    })();
    expect(err).toBeInstanceOf(RecoveryKeyError);
    expect(err.message).toBe('character 1 of the recovery key (not counting spaces and dashes) is not one a recovery key uses');
    expect(err.message).not.toContain(key.slice(6, 11));
  });

  it('refuses to format a secret of the wrong length', () => {
    expect(() => formatRecoveryKey(Buffer.alloc(31))).toThrow(RangeError);
  });
});
