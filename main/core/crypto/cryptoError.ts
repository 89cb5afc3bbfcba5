// The one error that means "this ciphertext is tampered, truncated, or opened with the wrong key".

/**
 * Thrown whenever authenticated decryption or a format check fails. Callers must treat it as
 * "do not serve these bytes" (the store answers 500 InternalError); it never says which of the
 * three causes applied, and its message never contains key material or plaintext.
 */
export class CryptoError extends Error {
  override readonly name = 'CryptoError';

  constructor(message = 'ciphertext is tampered, truncated, or the key is wrong', options?: ErrorOptions) {
    super(message, options);
  }
}
