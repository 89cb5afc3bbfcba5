import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createCustomerKeyProof,
  customerKek,
  customerKeyMatches,
} from '../../../main/core/crypto/customerKey.js';
import { scriptedRandom } from './helpers.js';

const CUSTOMER_KEY = Buffer.alloc(32, 0xc1);
const OTHER_KEY = Buffer.alloc(32, 0xc2);
const CONTEXT = Buffer.from('photos\0' + '2024/holiday.jpg');
const SALT = Buffer.alloc(32, 0x5a);

describe('customer key proof', () => {
  it('matches the key it was made with, in the same context', () => {
    const proof = createCustomerKeyProof(CUSTOMER_KEY, CONTEXT);
    expect(customerKeyMatches(CUSTOMER_KEY, proof, CONTEXT)).toBe(true);
  });

  it('does not match another key or another context', () => {
    const proof = createCustomerKeyProof(CUSTOMER_KEY, CONTEXT);
    expect(customerKeyMatches(OTHER_KEY, proof, CONTEXT)).toBe(false);
    expect(customerKeyMatches(CUSTOMER_KEY, proof, Buffer.from('photos\0other.jpg'))).toBe(false);
  });

  it('does not match a verifier of the wrong length', () => {
    const proof = createCustomerKeyProof(CUSTOMER_KEY, CONTEXT);
    expect(customerKeyMatches(CUSTOMER_KEY, { ...proof, verifier: proof.verifier.subarray(0, 16) }, CONTEXT)).toBe(false);
  });

  it('uses a fresh 32-byte salt per call', () => {
    const a = createCustomerKeyProof(CUSTOMER_KEY, CONTEXT);
    const b = createCustomerKeyProof(CUSTOMER_KEY, CONTEXT);
    expect(a.salt.length).toBe(32);
    expect(a.salt.equals(b.salt)).toBe(false);
    expect(a.verifier.equals(b.verifier)).toBe(false);
  });

  it('is deterministic with an injected random source, and follows the documented HMAC', () => {
    const a = createCustomerKeyProof(CUSTOMER_KEY, CONTEXT, scriptedRandom(SALT));
    const b = createCustomerKeyProof(CUSTOMER_KEY, CONTEXT, scriptedRandom(SALT));
    expect(a).toEqual(b);
    const expected = createHmac('sha256', CUSTOMER_KEY)
      .update(Buffer.concat([Buffer.from('coffer/v1/sse-c-verifier'), SALT, CONTEXT]))
      .digest();
    expect(a.verifier.equals(expected)).toBe(true);
  });

  it('rejects customer keys that are not 32 bytes', () => {
    expect(() => createCustomerKeyProof(Buffer.alloc(16), CONTEXT)).toThrow(RangeError);
  });
});

describe('customerKek', () => {
  it('follows the documented HMAC and differs from the verifier', () => {
    const kek = customerKek(CUSTOMER_KEY, SALT, CONTEXT);
    const expected = createHmac('sha256', CUSTOMER_KEY)
      .update(Buffer.concat([Buffer.from('coffer/v1/sse-c-kek'), SALT, CONTEXT]))
      .digest();
    expect(kek.equals(expected)).toBe(true);
    const proof = createCustomerKeyProof(CUSTOMER_KEY, CONTEXT, scriptedRandom(SALT));
    expect(kek.equals(proof.verifier)).toBe(false);
  });

  it('differs per key, salt and context', () => {
    const kek = customerKek(CUSTOMER_KEY, SALT, CONTEXT);
    expect(customerKek(OTHER_KEY, SALT, CONTEXT).equals(kek)).toBe(false);
    expect(customerKek(CUSTOMER_KEY, Buffer.alloc(32, 1), CONTEXT).equals(kek)).toBe(false);
    expect(customerKek(CUSTOMER_KEY, SALT, Buffer.from('x')).equals(kek)).toBe(false);
  });

  it('rejects a salt of the wrong length', () => {
    expect(() => customerKek(CUSTOMER_KEY, Buffer.alloc(16), CONTEXT)).toThrow(RangeError);
  });
});
