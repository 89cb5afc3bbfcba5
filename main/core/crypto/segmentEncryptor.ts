// Streaming writer for format version 1: plaintext chunks in, ciphertext pieces out, no re-buffering.
import { createCipheriv, createSecretKey, type CipherGCM, type KeyObject } from 'node:crypto';
import { systemRandom, type RandomSource } from './random.js';
import {
  CIPHER_NAME,
  SEGMENT_PLAIN_BYTES,
  STREAM_SALT_BYTES,
  TAG_BYTES,
  deriveStreamKey,
  encodeHeader,
  segmentCount,
  segmentNonce,
  streamAad,
  type StreamIdentity,
} from './segmentFormat.js';
import { StreamLengthError } from './streamLengthError.js';

/**
 * Encrypts one stream whose plaintext length is declared up front (S3 always declares it), so
 * whether a segment is the final one is known when it starts and every input chunk goes
 * straight into the cipher: the only copy of each byte is the cipher's own output.
 *
 * Usage: write header(), then every piece returned by update() and final(), in order. Their
 * total is exactly encryptedSize(plainBytes).
 *
 * Errors: RangeError for a bad key or length argument; StreamLengthError when more bytes than
 * declared are fed, or fewer before final(); Error when used after final().
 */
export class SegmentEncryptor {
  readonly #key: KeyObject;
  readonly #header: Buffer;
  readonly #aad: Buffer;
  readonly #plainBytes: number;
  readonly #finalIndex: number;
  #fedBytes = 0;
  #index = 0;
  #filledBytes = 0;
  #cipher: CipherGCM | null = null;
  #finished = false;

  constructor(objectKey: Buffer, identity: StreamIdentity, plainBytes: number, random: RandomSource = systemRandom) {
    this.#finalIndex = segmentCount(plainBytes) - 1; // validates plainBytes
    this.#plainBytes = plainBytes;
    const salt = random(STREAM_SALT_BYTES);
    if (salt.length !== STREAM_SALT_BYTES) throw new RangeError('random source returned the wrong length');
    const streamKey = deriveStreamKey(objectKey, salt); // validates the object key length
    this.#key = createSecretKey(streamKey);
    streamKey.fill(0); // the KeyObject holds its own copy
    this.#header = encodeHeader(salt);
    this.#aad = streamAad(this.#header, identity);
  }

  /** The 32 header bytes, to be written before any piece. */
  header(): Buffer {
    return Buffer.from(this.#header);
  }

  /** Encrypts `chunk` (any size); returns ciphertext pieces ready to write, possibly none. */
  update(chunk: Buffer): Buffer[] {
    this.#assertOpen();
    if (chunk.length > this.#plainBytes - this.#fedBytes) {
      throw new StreamLengthError(this.#plainBytes, this.#fedBytes + chunk.length);
    }
    const pieces: Buffer[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      const cipher = this.#cipher ?? this.#startSegment();
      const take = Math.min(chunk.length - offset, SEGMENT_PLAIN_BYTES - this.#filledBytes);
      // subarray is a view, not a copy; skip even that when the chunk fits whole.
      const input = take === chunk.length ? chunk : chunk.subarray(offset, offset + take);
      pieces.push(cipher.update(input));
      offset += take;
      this.#filledBytes += take;
      // A full non-final segment can be sealed now; the final one waits for final().
      if (this.#filledBytes === SEGMENT_PLAIN_BYTES && this.#index < this.#finalIndex) {
        this.#endSegment(pieces);
      }
    }
    this.#fedBytes += chunk.length;
    return pieces;
  }

  /** Seals the final segment and returns the remaining pieces (for an empty stream: its tag). */
  final(): Buffer[] {
    this.#assertOpen();
    if (this.#fedBytes !== this.#plainBytes) throw new StreamLengthError(this.#plainBytes, this.#fedBytes);
    this.#finished = true;
    const pieces: Buffer[] = [];
    if (this.#cipher === null) this.#startSegment(); // only an empty stream gets here without one
    this.#endSegment(pieces);
    return pieces;
  }

  #assertOpen(): void {
    if (this.#finished) throw new Error('SegmentEncryptor used after final()');
  }

  #startSegment(): CipherGCM {
    const nonce = segmentNonce(this.#index, this.#index === this.#finalIndex);
    const cipher = createCipheriv(CIPHER_NAME, this.#key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(this.#aad);
    this.#cipher = cipher;
    this.#filledBytes = 0;
    return cipher;
  }

  #endSegment(pieces: Buffer[]): void {
    const cipher = this.#cipher;
    if (cipher === null) throw new Error('no open segment');
    const rest = cipher.final(); // empty for GCM, kept so no byte can ever be dropped
    if (rest.length > 0) pieces.push(rest);
    pieces.push(cipher.getAuthTag());
    this.#cipher = null;
    this.#index += 1;
  }
}
