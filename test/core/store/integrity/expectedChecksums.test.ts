// Planning checksums from request headers and verifying them after the body, with the errors S3 sends.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { describe, expect, it } from 'vitest';

import { S3Error } from '../../../../main/core/store/errors.js';
import {
  type ChecksumPlan,
  checksumBase64,
  createPlanHasher,
  planChecksums,
  verifyChecksums,
} from '../../../../main/core/store/integrity/index.js';

const BODY = Buffer.from('The quick brown fox jumps over the lazy dog');
const MD5 = createHash('md5').update(BODY).digest('base64');
const CRC32 = checksumBase64('CRC32', BODY);

function planError(headers: IncomingHttpHeaders): S3Error {
  try {
    planChecksums(headers);
  } catch (err) {
    if (err instanceof S3Error) return err;
    throw err;
  }
  throw new Error('expected an error');
}

function run(plan: ChecksumPlan, body: Buffer, trailers: Record<string, string> = {}) {
  const hasher = createPlanHasher(plan);
  hasher.update(body.subarray(0, 10));
  hasher.update(body.subarray(10));
  return verifyChecksums(plan, hasher.finish(), trailers);
}

function runError(plan: ChecksumPlan, body: Buffer, trailers: Record<string, string> = {}): S3Error {
  try {
    run(plan, body, trailers);
  } catch (err) {
    if (err instanceof S3Error) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('planChecksums', () => {
  it('plans nothing for a plain request, or the store default when given', () => {
    expect(planChecksums({})).toEqual({ contentMd5: undefined, checksum: undefined });
    expect(planChecksums({}, 'CRC64NVME').checksum).toEqual({ algorithm: 'CRC64NVME', source: 'default' });
  });

  it('plans Content-MD5, a checksum header, or a checksum trailer, ignoring x-amz-checksum-type and friends', () => {
    const plan = planChecksums({ 'content-md5': MD5, 'x-amz-checksum-crc32': CRC32, 'x-amz-checksum-type': 'FULL_OBJECT', 'x-amz-sdk-checksum-algorithm': 'CRC32' });
    expect(plan.contentMd5?.toString('base64')).toBe(MD5);
    expect(plan.checksum).toMatchObject({ algorithm: 'CRC32', source: 'header' });
    expect(planChecksums({ 'x-amz-trailer': 'x-amz-checksum-crc64nvme', 'x-amz-sdk-checksum-algorithm': 'CRC64NVME' }).checksum).toEqual({
      algorithm: 'CRC64NVME',
      source: 'trailer',
    });
  });

  it('rejects a malformed Content-MD5 with InvalidDigest', () => {
    for (const value of ['abc', MD5.slice(0, -2), `${MD5}=`, '!!!!!!!!!!!!!!!!!!!!!!==', Buffer.alloc(20).toString('base64')]) {
      const err = planError({ 'content-md5': value });
      expect([err.code, err.status]).toEqual(['InvalidDigest', 400]);
    }
  });

  it('rejects two checksums with the S3 message', () => {
    const expected = 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.';
    const both = planError({ 'x-amz-checksum-crc32': CRC32, 'x-amz-checksum-sha1': checksumBase64('SHA1', BODY) });
    expect([both.code, both.message]).toEqual(['InvalidRequest', expected]);
    expect(planError({ 'x-amz-checksum-crc32': CRC32, 'x-amz-trailer': 'x-amz-checksum-crc32c' }).message).toBe(expected);
  });

  it('rejects a checksum value that is not base64 of the right length', () => {
    for (const [name, value] of [
      ['x-amz-checksum-crc32', 'AAAA'],
      ['x-amz-checksum-crc32c', 'AAAAAAAA=='],
      ['x-amz-checksum-crc64nvme', 'AAAAAA=='],
      ['x-amz-checksum-sha256', 'not base64 at all'],
    ] as const) {
      const err = planError({ [name]: value });
      expect([err.code, err.message]).toEqual(['InvalidRequest', `Value for ${name} header is invalid.`]);
    }
  });

  it('rejects an SDK algorithm without its checksum or naming another one, and refuses algorithms it cannot compute', () => {
    expect(planError({ 'x-amz-sdk-checksum-algorithm': 'CRC32' }).message).toBe(
      'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
    );
    expect(planError({ 'x-amz-sdk-checksum-algorithm': 'SHA1', 'x-amz-checksum-crc32': CRC32 }).code).toBe('InvalidRequest');
    expect(planError({ 'x-amz-sdk-checksum-algorithm': 'ROT13' }).code).toBe('InvalidRequest');
    expect(planError({ 'x-amz-checksum-xxhash3': 'AAAAAAAAAAA=' }).code).toBe('NotImplemented');
    expect(planError({ 'x-amz-trailer': 'x-amz-checksum-sha512' }).code).toBe('NotImplemented');
    expect(planError({ 'x-amz-trailer': 'x-amz-meta-colour' }).code).toBe('InvalidRequest');
  });
});

describe('verifyChecksums', () => {
  it('returns the verified checksum for a header or a trailer, and the computed one for the default', () => {
    expect(run(planChecksums({ 'content-md5': MD5, 'x-amz-checksum-crc32': CRC32 }), BODY)).toEqual({ algorithm: 'CRC32', value: CRC32 });
    const crc32c = checksumBase64('CRC32C', BODY);
    expect(run(planChecksums({ 'x-amz-trailer': 'x-amz-checksum-crc32c' }), BODY, { 'x-amz-checksum-crc32c': crc32c })).toEqual({
      algorithm: 'CRC32C',
      value: crc32c,
    });
    expect(run(planChecksums({}, 'CRC64NVME'), BODY)).toEqual({ algorithm: 'CRC64NVME', value: checksumBase64('CRC64NVME', BODY) });
    expect(run(planChecksums({ 'content-md5': MD5 }), BODY)).toBeUndefined();
  });

  it('answers BadDigest with S3 texts on a mismatch', () => {
    const other = Buffer.from('The quick brown fox jumps over the lazy cat');
    const md5 = runError(planChecksums({ 'content-md5': MD5 }), other);
    expect([md5.code, md5.message]).toEqual(['BadDigest', 'The Content-MD5 you specified did not match what we received.']);
    const sha = runError(planChecksums({ 'x-amz-checksum-sha256': checksumBase64('SHA256', BODY) }), other);
    expect([sha.code, sha.message]).toEqual(['BadDigest', 'The SHA256 you specified did not match the calculated checksum.']);
    const trailer = runError(planChecksums({ 'x-amz-trailer': 'x-amz-checksum-crc32' }), BODY, { 'x-amz-checksum-crc32': 'AAAAAA==' });
    expect([trailer.code, trailer.message]).toEqual(['BadDigest', 'The CRC32 you specified did not match the calculated checksum.']);
  });

  it('reports a missing or unreadable trailer', () => {
    const plan = planChecksums({ 'x-amz-trailer': 'x-amz-checksum-crc32' });
    expect(runError(plan, BODY, {}).code).toBe('MalformedTrailerError');
    const bad = runError(plan, BODY, { 'x-amz-checksum-crc32': 'zz' });
    expect([bad.code, bad.message]).toEqual(['InvalidRequest', 'Value for x-amz-checksum-crc32 trailing header is invalid.']);
  });
});
