// The error for a plaintext stream whose length differs from the length declared up front.

/**
 * Thrown by SegmentEncryptor when more bytes are fed than declared, or fewer before final().
 * It is an input error (for the store: a body that does not match its Content-Length), not a
 * sign of tampering, so it is deliberately not a CryptoError.
 */
export class StreamLengthError extends Error {
  override readonly name = 'StreamLengthError';

  constructor(
    readonly declaredBytes: number,
    readonly receivedBytes: number,
  ) {
    super(`plaintext length mismatch: declared ${declaredBytes} bytes, received ${receivedBytes}`);
  }
}
