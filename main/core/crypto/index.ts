// Public API of the crypto module: the at-rest stream format, key sealing and the SSE-C key check.
export { CryptoError } from './cryptoError.js';
export { StreamLengthError } from './streamLengthError.js';
export { systemRandom, type RandomSource } from './random.js';
export {
  HEADER_BYTES,
  OBJECT_KEY_BYTES,
  SEGMENT_CIPHER_BYTES,
  SEGMENT_PLAIN_BYTES,
  TAG_BYTES,
  encryptedSize,
  identityBytes,
  parseHeader,
  segmentCount,
  type StreamHeader,
  type StreamIdentity,
} from './segmentFormat.js';
export { SegmentEncryptor } from './segmentEncryptor.js';
export { MAX_SEGMENTS_PER_READ, bufferSource, decryptAll, decryptRange, type CipherSource } from './segmentDecryptor.js';
export { deriveKey, openBytes, openKey, sealBytes, sealKey } from './keyWrap.js';
export {
  createCustomerKeyProof,
  customerKek,
  customerKeyMatches,
  type CustomerKeyProof,
} from './customerKey.js';
