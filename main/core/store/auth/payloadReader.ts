// Turns a request body into the payload bytes the client meant, proving on the way whatever the signature promised about them.
//
// x-amz-content-sha256 modes: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
// aws-chunked: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and sigv4-streaming-trailers.html
//
// Contract for consumers: bytes are handed out as they arrive, before the whole body (or, for a
// signed stream, the current chunk) has been proven. An iteration that throws means the payload is
// bad: commit nothing that was read from it. Only a completed iteration is proof.

import { type Hash, createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { S3Error } from '../errors.js';
import type { AuthContext, PayloadMode } from './authContext.js';
import { AwsChunkedDecoder } from './awsChunkedDecoder.js';
import { ChunkSignatureChain } from './chunkSignatureChain.js';
import { headerText } from './requestTarget.js';

export interface PayloadReader extends AsyncIterable<Buffer> {
  /** Plaintext length the client declared: x-amz-decoded-content-length for aws-chunked, else Content-Length. */
  readonly declaredLength: number | undefined;
  /** Trailers of an aws-chunked body (lower-case names, without x-amz-trailer-signature). Only after iteration completes. */
  trailers(): Record<string, string>;
}

const TRAILER_SIGNATURE = 'x-amz-trailer-signature';

function parseLength(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new S3Error('InvalidArgument', `Invalid ${name}`, { ArgumentName: name, ArgumentValue: value });
  return n;
}

function lengthMismatch(): S3Error {
  return new S3Error('IncompleteBody');
}

/** The body's SHA-256 must be the one the signature covered (400 XAmzContentSHA256Mismatch). */
function checkSha256(hash: Hash, mode: PayloadMode): void {
  if (mode.kind !== 'sha256') return;
  const computed = hash.digest('hex');
  if (computed !== mode.hex) {
    throw new S3Error('XAmzContentSHA256Mismatch', undefined, {
      ClientComputedContentSHA256: mode.hex,
      S3ComputedContentSHA256: computed,
    });
  }
}

/** True when the body is aws-chunked: a STREAMING-* payload mode, or Content-Encoding listing aws-chunked. */
export function isAwsChunked(auth: AuthContext, headers: IncomingHttpHeaders): boolean {
  if (auth.payload.kind === 'streaming-signed' || auth.payload.kind === 'streaming-unsigned-trailer') return true;
  const encoding = headerText(headers['content-encoding']) ?? '';
  return encoding.split(',').some((item) => item.trim().toLowerCase() === 'aws-chunked');
}

/**
 * The Content-Encoding to store with the object: S3 drops aws-chunked, which describes only the
 * transfer, and keeps the rest. Undefined when nothing remains.
 */
export function storedContentEncoding(headers: IncomingHttpHeaders): string | undefined {
  const kept = (headerText(headers['content-encoding']) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '' && item.toLowerCase() !== 'aws-chunked');
  return kept.length > 0 ? kept.join(',') : undefined;
}

/**
 * Wraps `body`. Synchronous checks throw here: 400 InvalidArgument for an unreadable length, 400
 * MalformedTrailerError when x-amz-trailer is sent with a body that cannot carry trailers. The
 * iteration throws: 400 XAmzContentSHA256Mismatch (sha256 mode), 400 IncompleteBody (wrong length
 * or broken aws-chunked framing), 403 SignatureDoesNotMatch (a chunk or trailer signature), 400
 * MalformedTrailerError (trailers other than those declared in x-amz-trailer, or one missing).
 */
export function readPayload(body: AsyncIterable<Buffer>, auth: AuthContext, headers: IncomingHttpHeaders): PayloadReader {
  const chunked = isAwsChunked(auth, headers);
  const declaredTrailers = (headerText(headers['x-amz-trailer']) ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const mode = auth.payload;
  const trailerCapable = chunked && !(mode.kind === 'streaming-signed' && !mode.trailer);
  if (declaredTrailers.length > 0 && !trailerCapable) throw new S3Error('MalformedTrailerError');
  const declaredLength = chunked
    ? parseLength('x-amz-decoded-content-length', headerText(headers['x-amz-decoded-content-length']))
    : parseLength('content-length', headerText(headers['content-length']));

  let trailers: Record<string, string> | undefined;
  let started = false;

  async function* passThrough(): AsyncGenerator<Buffer> {
    const hash = mode.kind === 'sha256' ? createHash('sha256') : undefined;
    let total = 0;
    for await (const piece of body) {
      total += piece.length;
      if (declaredLength !== undefined && total > declaredLength) throw lengthMismatch();
      hash?.update(piece);
      yield piece;
    }
    if (declaredLength !== undefined && total !== declaredLength) throw lengthMismatch();
    if (hash !== undefined) checkSha256(hash, mode);
    trailers = {};
  }

  async function* decodeChunked(): AsyncGenerator<Buffer> {
    // A hex x-amz-content-sha256 with aws-chunked covers the body as sent, i.e. the encoded bytes.
    const rawHash = mode.kind === 'sha256' ? createHash('sha256') : undefined;
    const chain = mode.kind === 'streaming-signed' ? new ChunkSignatureChain(auth) : undefined;
    const received = new Map<string, string>();
    let trailerSignature: string | undefined;
    let decoded = 0;
    const ready: Buffer[] = [];
    const decoder = new AwsChunkedDecoder(chain !== undefined, {
      chunkStart: (_size, signature) => chain?.start(signature ?? ''),
      data: (slice) => {
        decoded += slice.length;
        if (declaredLength !== undefined && decoded > declaredLength) throw lengthMismatch();
        chain?.update(slice);
        ready.push(slice);
      },
      chunkEnd: () => chain?.finish(),
      trailer: (name, value) => {
        if (trailerSignature !== undefined) throw new S3Error('MalformedTrailerError');
        if (name === TRAILER_SIGNATURE && chain !== undefined) {
          trailerSignature = value;
          return;
        }
        if (!declaredTrailers.includes(name) || received.has(name)) throw new S3Error('MalformedTrailerError');
        received.set(name, value);
      },
    });
    for await (const piece of body) {
      rawHash?.update(piece);
      decoder.write(piece);
      // Slices of a chunk whose signature failed inside this write never get here: write threw first.
      for (const slice of ready) yield slice;
      ready.length = 0;
    }
    decoder.end();
    if (declaredLength !== undefined && decoded !== declaredLength) throw lengthMismatch();
    if (declaredTrailers.some((name) => !received.has(name))) throw new S3Error('MalformedTrailerError');
    if (chain !== undefined && mode.kind === 'streaming-signed' && mode.trailer) {
      if (trailerSignature === undefined) throw new S3Error('MalformedTrailerError');
      chain.verifyTrailer(received, trailerSignature);
    }
    if (rawHash !== undefined) checkSha256(rawHash, mode);
    trailers = Object.fromEntries(received);
  }

  return {
    declaredLength,
    trailers(): Record<string, string> {
      if (trailers === undefined) throw new Error('payload trailers are only known after the payload has been read to the end');
      return { ...trailers };
    },
    [Symbol.asyncIterator](): AsyncIterator<Buffer> {
      if (started) throw new Error('a request payload can only be read once');
      started = true;
      return chunked ? decodeChunked() : passThrough();
    },
  };
}
