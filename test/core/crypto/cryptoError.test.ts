import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../../main/core/crypto/cryptoError.js';
import { StreamLengthError } from '../../../main/core/crypto/streamLengthError.js';

describe('CryptoError', () => {
  it('is an Error named CryptoError with a generic default message', () => {
    const error = new CryptoError();
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CryptoError');
    expect(error.message).toMatch(/tampered, truncated, or the key is wrong/);
  });

  it('keeps a cause for diagnosis', () => {
    const cause = new Error('inner');
    expect(new CryptoError('outer', { cause }).cause).toBe(cause);
  });
});

describe('StreamLengthError', () => {
  it('carries both lengths and is not a CryptoError', () => {
    const error = new StreamLengthError(10, 11);
    expect(error.name).toBe('StreamLengthError');
    expect([error.declaredBytes, error.receivedBytes]).toEqual([10, 11]);
    expect(error).not.toBeInstanceOf(CryptoError);
  });
});
