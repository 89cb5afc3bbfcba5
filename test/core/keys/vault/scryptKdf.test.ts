// The passphrase KDF: scrypt known answers, normalisation, parameter limits and calibration bounds.
import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assertKdfParams, calibrateKdf, deriveUnlockKey, KDF_FLOOR, KDF_MAX_CALIBRATED_N } from '../../../../main/core/keys/vault/scryptKdf.js';

const SALT = Buffer.alloc(16, 3);

describe('scrypt unlock key', () => {
  it('is scrypt of the UTF-8 passphrase with the given cost and salt', async () => {
    const key = await deriveUnlockKey('passphrase-1', { algorithm: 'scrypt', N: 1024, r: 8, p: 1 }, SALT);
    expect(key).toEqual(scryptSync(Buffer.from('passphrase-1'), SALT, 32, { N: 1024, r: 8, p: 1 }));
  });

  it('matches RFC 7914 test vector 2', async () => {
    const key = await deriveUnlockKey('password', { algorithm: 'scrypt', N: 1024, r: 8, p: 16 }, Buffer.from('NaCl'));
    const expected = Buffer.from(
      'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
      'hex',
    );
    expect(key).toEqual(expected.subarray(0, 32));
  });

  it('normalises the passphrase (NFC), so a composed and a decomposed é give one key', async () => {
    const params = { algorithm: 'scrypt', N: 1024, r: 8, p: 1 } as const;
    expect(await deriveUnlockKey('caf\u00e9 au lait', params, SALT)).toEqual(await deriveUnlockKey('cafe\u0301 au lait', params, SALT));
  });

  it('handles large N (beyond the 32 MiB default memory limit)', async () => {
    const key = await deriveUnlockKey('x', { algorithm: 'scrypt', N: 2 ** 16, r: 8, p: 1 }, SALT);
    expect(key).toHaveLength(32);
  });

  it('refuses parameters that are not scrypt, not a power of two, or need more than 2 GiB', () => {
    expect(() => assertKdfParams({ algorithm: 'scrypt', N: 1000, r: 8, p: 1 })).toThrow(RangeError);
    expect(() => assertKdfParams({ algorithm: 'scrypt', N: 1024, r: 0, p: 1 })).toThrow(RangeError);
    expect(() => assertKdfParams({ algorithm: 'scrypt', N: 2 ** 22, r: 8, p: 1 })).toThrow(RangeError);
    expect(() => assertKdfParams({ algorithm: 'argon2' as 'scrypt', N: 1024, r: 8, p: 1 })).toThrow(RangeError);
    expect(() => assertKdfParams({ algorithm: 'scrypt', N: 2 ** 21, r: 8, p: 1 })).not.toThrow();
  });

  it('calibrates to the floor r and p and an N between the floor and the cap', async () => {
    const params = await calibrateKdf();
    expect(params.r).toBe(KDF_FLOOR.r);
    expect(params.p).toBe(KDF_FLOOR.p);
    expect(params.N).toBeGreaterThanOrEqual(KDF_FLOOR.N);
    expect(params.N).toBeLessThanOrEqual(KDF_MAX_CALIBRATED_N);
    expect(Math.log2(params.N) % 1).toBe(0);
  });

  it('never calibrates below the floor, even for a tiny target', async () => {
    expect((await calibrateKdf(1)).N).toBe(KDF_FLOOR.N);
  });
});
