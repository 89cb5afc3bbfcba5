// Decides from the request headers which checksums an upload must be checked against, and checks them once the body has been read.
//
// Content-MD5: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (RFC 1864).
// x-amz-checksum-*, x-amz-sdk-checksum-algorithm, x-amz-trailer:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html and
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html.
// Error codes and texts are the ones S3 sends; choices S3 does not document are listed in
// ../auth/SIGV4.md ("Checksums").

import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { S3Error } from '../errors.js';
import {
  type ChecksumAlgorithm,
  type IncrementalHash,
  UNSUPPORTED_CHECKSUM_ALGORITHMS,
  checksumByteLength,
  checksumHeaderName,
  createChecksum,
  parseChecksumAlgorithm,
} from './checksums.js';

export type ExpectedChecksum =
  /** The value came in an x-amz-checksum-<alg> header. */
  | { readonly algorithm: ChecksumAlgorithm; readonly source: 'header'; readonly value: Buffer }
  /** x-amz-trailer announced it; the value arrives in the aws-chunked trailer. */
  | { readonly algorithm: ChecksumAlgorithm; readonly source: 'trailer' }
  /** The client sent none; the store computes its default algorithm to store and echo. */
  | { readonly algorithm: ChecksumAlgorithm; readonly source: 'default' };

export interface ChecksumPlan {
  /** The 16-byte digest a Content-MD5 header promised. */
  readonly contentMd5: Buffer | undefined;
  readonly checksum: ExpectedChecksum | undefined;
}

export interface ComputedChecksums {
  readonly md5?: Buffer;
  readonly checksum?: Buffer;
}

export interface VerifiedChecksum {
  readonly algorithm: ChecksumAlgorithm;
  /** Base64, as S3 echoes it in x-amz-checksum-<alg>. */
  readonly value: string;
}

const MULTIPLE = 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.';
const CHECKSUM_PREFIX = 'x-amz-checksum-';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function text(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** Base64 that decodes to exactly `bytes` bytes (padding included), else undefined. */
function decodeBase64(value: string, bytes: number): Buffer | undefined {
  if (value.length !== 4 * Math.ceil(bytes / 3) || !BASE64.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64');
  return decoded.length === bytes ? decoded : undefined;
}

function notImplemented(header: string): S3Error {
  return new S3Error('NotImplemented', undefined, { Header: header });
}

/** The algorithm an x-amz-checksum-<suffix> name denotes; undefined for x-amz-checksum-type/-mode/-algorithm and the like. */
function algorithmOfName(name: string): ChecksumAlgorithm | undefined {
  const suffix = name.slice(CHECKSUM_PREFIX.length).toUpperCase();
  if (UNSUPPORTED_CHECKSUM_ALGORITHMS.includes(suffix)) throw notImplemented(name);
  return parseChecksumAlgorithm(suffix);
}

/**
 * Reads Content-MD5, x-amz-checksum-<alg>, x-amz-trailer and x-amz-sdk-checksum-algorithm.
 * `defaultAlgorithm` (e.g. CRC64NVME, which S3 computes for uploads that carry no checksum) is
 * planned when the client asked for none. Throws 400 InvalidDigest (bad Content-MD5), 400
 * InvalidRequest (several checksums, an invalid value, an SDK algorithm without its checksum),
 * 501 NotImplemented (an algorithm this store does not compute).
 */
export function planChecksums(headers: IncomingHttpHeaders, defaultAlgorithm?: ChecksumAlgorithm): ChecksumPlan {
  let contentMd5: Buffer | undefined;
  const md5Text = text(headers['content-md5']);
  if (md5Text !== undefined) {
    contentMd5 = decodeBase64(md5Text.trim(), 16);
    if (contentMd5 === undefined) throw new S3Error('InvalidDigest');
  }

  const found: ExpectedChecksum[] = [];
  for (const [name, raw] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!lower.startsWith(CHECKSUM_PREFIX) || raw === undefined) continue;
    const algorithm = algorithmOfName(lower);
    if (algorithm === undefined) continue;
    const value = decodeBase64((text(raw) ?? '').trim(), checksumByteLength(algorithm));
    if (value === undefined) throw new S3Error('InvalidRequest', `Value for ${lower} header is invalid.`);
    found.push({ algorithm, source: 'header', value });
  }
  for (const name of (text(headers['x-amz-trailer']) ?? '').split(',')) {
    const lower = name.trim().toLowerCase();
    if (lower === '') continue;
    const algorithm = lower.startsWith(CHECKSUM_PREFIX) ? algorithmOfName(lower) : undefined;
    if (algorithm === undefined) throw new S3Error('InvalidRequest', 'The value specified in the x-amz-trailer header is not supported');
    found.push({ algorithm, source: 'trailer' });
  }
  if (found.length > 1) throw new S3Error('InvalidRequest', MULTIPLE);
  const checksum = found[0];

  const sdkText = text(headers['x-amz-sdk-checksum-algorithm']);
  if (sdkText !== undefined) {
    if (UNSUPPORTED_CHECKSUM_ALGORITHMS.includes(sdkText.trim().toUpperCase())) throw notImplemented('x-amz-sdk-checksum-algorithm');
    const sdkAlgorithm = parseChecksumAlgorithm(sdkText);
    if (checksum === undefined) {
      if (sdkAlgorithm === undefined) throw new S3Error('InvalidRequest', 'Value for x-amz-sdk-checksum-algorithm header is invalid.');
      throw new S3Error(
        'InvalidRequest',
        'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
      );
    }
    if (sdkAlgorithm !== checksum.algorithm) {
      throw new S3Error('InvalidRequest', 'Value for x-amz-sdk-checksum-algorithm header is invalid.');
    }
  }

  if (checksum === undefined && defaultAlgorithm !== undefined) {
    return { contentMd5, checksum: { algorithm: defaultAlgorithm, source: 'default' } };
  }
  return { contentMd5, checksum };
}

export interface PlanHasher {
  update(data: Buffer): void;
  /** The digests of everything passed to update(); call once, after the last byte. */
  finish(): ComputedChecksums;
}

/** Computes exactly what `plan` needs (MD5 and/or one checksum) in one pass over the payload. */
export function createPlanHasher(plan: ChecksumPlan): PlanHasher {
  const md5: IncrementalHash | undefined = plan.contentMd5 !== undefined ? createHash('md5') : undefined;
  const checksum = plan.checksum !== undefined ? createChecksum(plan.checksum.algorithm) : undefined;
  return {
    update(data: Buffer): void {
      md5?.update(data);
      checksum?.update(data);
    },
    finish(): ComputedChecksums {
      return { md5: md5?.digest(), checksum: checksum?.digest() };
    },
  };
}

/**
 * After the whole payload (and its trailers) has been read: 400 BadDigest when Content-MD5 or the
 * checksum differs from what was received, 400 MalformedTrailerError when an announced trailer is
 * missing, 400 InvalidRequest when the trailer value is not a valid checksum. Returns the checksum
 * to store and echo, or undefined when the plan had none.
 */
export function verifyChecksums(
  plan: ChecksumPlan,
  computed: ComputedChecksums,
  trailers: Readonly<Record<string, string>>,
): VerifiedChecksum | undefined {
  if (plan.contentMd5 !== undefined && (computed.md5 === undefined || !computed.md5.equals(plan.contentMd5))) {
    throw new S3Error('BadDigest');
  }
  const expected = plan.checksum;
  if (expected === undefined) return undefined;
  const actual = computed.checksum;
  if (actual === undefined) throw new Error(`the ${expected.algorithm} checksum was planned but not computed`);
  const name = checksumHeaderName(expected.algorithm);
  let promised: Buffer | undefined;
  if (expected.source === 'header') {
    promised = expected.value;
  } else if (expected.source === 'trailer') {
    const value = trailers[name];
    if (value === undefined) throw new S3Error('MalformedTrailerError');
    promised = decodeBase64(value, checksumByteLength(expected.algorithm));
    if (promised === undefined) throw new S3Error('InvalidRequest', `Value for ${name} trailing header is invalid.`);
  }
  if (promised !== undefined && !promised.equals(actual)) {
    throw new S3Error('BadDigest', `The ${expected.algorithm} you specified did not match the calculated checksum.`);
  }
  return { algorithm: expected.algorithm, value: actual.toString('base64') };
}
