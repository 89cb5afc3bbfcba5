// Header-signed requests from the real SDK signer verify; every tampered part, bad clock or malformed header fails with S3's error.
import { createHash, createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { verifyRequest } from '../../../../main/core/store/auth/index.js';
import { S3Error } from '../../../../main/core/store/errors.js';
import { testSigningKey } from './chunkedBodies.js';
import { ACCESS_KEY, SECRET_KEY, type WireRequest, caught, newSigner, secrets, signHeaders } from './sigv4Support.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

async function s3Error(request: WireRequest, now = NOW, lookup = secrets): Promise<S3Error> {
  const err = await caught(() => verifyRequest(request, lookup, now));
  expect(err).toBeInstanceOf(S3Error);
  return err as S3Error;
}

describe('verifyRequest with an Authorization header', () => {
  it('accepts a GET signed by the SDK signer and reports what it proved', async () => {
    const request = await signHeaders({ method: 'GET', path: '/bucket/photos/cat.jpg' }, NOW);
    const auth = verifyRequest(request, secrets, NOW);
    expect(auth).toMatchObject({
      accessKeyId: ACCESS_KEY,
      kind: 'header',
      region: 'us-east-1',
      amzDate: '20260301T120000Z',
      scope: '20260301/us-east-1/s3/aws4_request',
      payload: { kind: 'sha256', hex: EMPTY_SHA256 },
    });
    expect([...auth.signedHeaders]).toEqual(['host', 'x-amz-content-sha256', 'x-amz-date']);
    expect(auth.seedSignature).toMatch(/^[0-9a-f]{64}$/);
    expect(auth.signingKey.equals(testSigningKey(SECRET_KEY, '20260301', 'us-east-1'))).toBe(true);
  });

  it('accepts UNSIGNED-PAYLOAD, a signed body hash and any region name', async () => {
    const unsigned = await signHeaders(
      { method: 'PUT', path: '/bucket/k', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': '5' } },
      NOW,
    );
    expect(verifyRequest(unsigned, secrets, NOW).payload).toEqual({ kind: 'unsigned' });

    const body = Buffer.from('hello');
    const signedBody = await signHeaders(
      { method: 'PUT', path: '/bucket/k', body, headers: { 'content-length': '5', 'content-type': 'text/plain' } },
      NOW,
      { signer: newSigner({ region: 'moon-base-1' }) },
    );
    const auth = verifyRequest(signedBody, secrets, NOW);
    expect(auth.payload).toEqual({ kind: 'sha256', hex: createHash('sha256').update(body).digest('hex') });
    expect(auth.region).toBe('moon-base-1');
  });

  it('accepts signed SSE headers and a query string, whatever order and escaping the client used', async () => {
    const request = await signHeaders(
      {
        method: 'GET',
        path: '/bucket',
        query: { 'list-type': '2', prefix: 'a b/c+d~é', delimiter: '/', 'encoding-type': 'url' },
        headers: { 'x-amz-server-side-encryption-customer-algorithm': 'AES256' },
      },
      NOW,
    );
    expect(verifyRequest(request, secrets, NOW).kind).toBe('header');
    // Same parameters, reordered, with '+' for the space and '~' escaped: one canonical form.
    const reordered = { ...request, url: '/bucket?prefix=a+b%2Fc%2Bd%7E%C3%A9&delimiter=%2F&encoding-type=url&list-type=2' };
    expect(verifyRequest(reordered, secrets, NOW).kind).toBe('header');
  });

  it('tolerates missing or extra blanks in the Authorization header', async () => {
    const request = await signHeaders({ path: '/bucket/k' }, NOW);
    const value = String(request.headers['authorization']);
    for (const variant of [value.replace(/, /g, ','), value.replace(/, /g, ' ,   '), value.replace(' Credential', '  Credential')]) {
      expect(verifyRequest({ ...request, headers: { ...request.headers, authorization: variant } }, secrets, NOW).kind).toBe('header');
    }
  });

  it('rejects each tampered part with SignatureDoesNotMatch and helpful, secret-free details', async () => {
    const request = await signHeaders(
      { method: 'PUT', path: '/bucket/k', query: { partNumber: '1', uploadId: 'abc' }, headers: { 'x-amz-meta-colour': 'blue', 'content-length': '0' } },
      NOW,
    );
    const tampered: WireRequest[] = [
      { ...request, method: 'POST' },
      { ...request, url: request.url.replace('/bucket/k', '/bucket/j') },
      { ...request, url: request.url.replace('partNumber=1', 'partNumber=2') },
      { ...request, url: `${request.url}&versionId=1` },
      { ...request, headers: { ...request.headers, 'x-amz-meta-colour': 'red' } },
      { ...request, headers: { ...request.headers, 'x-amz-date': '20260301T120001Z' } },
    ];
    for (const variant of tampered) {
      const err = await s3Error(variant);
      expect(err.code).toBe('SignatureDoesNotMatch');
      expect(err.status).toBe(403);
      expect(err.details['AWSAccessKeyId']).toBe(ACCESS_KEY);
      expect(err.details['CanonicalRequest']).toContain('x-amz-meta-colour:');
      expect(err.details['StringToSign']).toMatch(/^AWS4-HMAC-SHA256\n/);
      expect(JSON.stringify(err.details)).not.toContain(SECRET_KEY);
    }
    const wrongSecret = await s3Error(request, NOW, () => 'another-secret');
    expect(wrongSecret.code).toBe('SignatureDoesNotMatch');
  });

  it('rejects an unknown access key with InvalidAccessKeyId', async () => {
    const request = await signHeaders({ path: '/bucket/k' }, NOW);
    const err = await s3Error(request, NOW, () => undefined);
    expect([err.code, err.status, err.details['AWSAccessKeyId']]).toEqual(['InvalidAccessKeyId', 403, ACCESS_KEY]);
  });

  it('allows 15 minutes of clock skew either way and no more', async () => {
    const minute = 60_000;
    for (const offset of [-15 * minute, 15 * minute]) {
      const request = await signHeaders({ path: '/bucket/k' }, new Date(NOW.getTime() + offset));
      expect(verifyRequest(request, secrets, NOW).kind).toBe('header');
    }
    for (const offset of [-16 * minute, 16 * minute]) {
      const request = await signHeaders({ path: '/bucket/k' }, new Date(NOW.getTime() + offset));
      const err = await s3Error(request);
      expect(err.code).toBe('RequestTimeTooSkewed');
      expect(err.status).toBe(403);
      expect(err.details['RequestTime']).toBe(request.headers['x-amz-date']);
      expect(err.details['ServerTime']).toBe('2026-03-01T12:00:00Z');
    }
  });

  it('requires x-amz-content-sha256 with one of the values S3 knows', async () => {
    const missing = await signHeaders({ path: '/bucket/k' }, NOW, { signer: newSigner({ applyChecksum: false }) });
    const err = await s3Error(missing);
    expect([err.code, err.message]).toEqual(['InvalidRequest', 'Missing required header for this request: x-amz-content-sha256']);

    const bogus = await signHeaders({ path: '/bucket/k', headers: { 'x-amz-content-sha256': 'STREAMING-PAYLOAD' } }, NOW);
    const invalid = await s3Error(bogus);
    expect(invalid.code).toBe('InvalidArgument');
    expect(invalid.details).toMatchObject({ ArgumentName: 'x-amz-content-sha256', ArgumentValue: 'STREAMING-PAYLOAD' });
  });

  it('recognises every streaming payload mode', async () => {
    const cases = {
      'STREAMING-AWS4-HMAC-SHA256-PAYLOAD': { kind: 'streaming-signed', trailer: false },
      'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': { kind: 'streaming-signed', trailer: true },
      'STREAMING-UNSIGNED-PAYLOAD-TRAILER': { kind: 'streaming-unsigned-trailer' },
    };
    for (const [value, mode] of Object.entries(cases)) {
      const request = await signHeaders({ method: 'PUT', path: '/bucket/k', headers: { 'x-amz-content-sha256': value } }, NOW);
      expect(verifyRequest(request, secrets, NOW).payload).toEqual(mode);
    }
  });

  it('requires host (and the date header) to be signed', async () => {
    const request = await signHeaders({ path: '/bucket/k' }, NOW, { unsignableHeaders: new Set(['host']) });
    const err = await s3Error(request);
    expect([err.code, err.details['HeadersNotSigned']]).toEqual(['AccessDenied', 'host']);
  });

  it('falls back to the Date header when x-amz-date is absent', async () => {
    // The SDK always sends x-amz-date, so this request is signed by hand, following the AWS page.
    const date = 'Sun, 01 Mar 2026 12:00:00 GMT';
    const canonical = ['GET', '/bucket/k', '', `date:${date}`, 'host:localhost:9000', `x-amz-content-sha256:${EMPTY_SHA256}`, '', 'date;host;x-amz-content-sha256', EMPTY_SHA256].join('\n');
    const scope = '20260301/us-east-1/s3/aws4_request';
    const toSign = ['AWS4-HMAC-SHA256', '20260301T120000Z', scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
    const signature = createHmac('sha256', testSigningKey(SECRET_KEY, '20260301', 'us-east-1')).update(toSign).digest('hex');
    const request: WireRequest = {
      method: 'GET',
      url: '/bucket/k',
      headers: {
        date,
        host: 'localhost:9000',
        'x-amz-content-sha256': EMPTY_SHA256,
        authorization: `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/${scope},SignedHeaders=date;host;x-amz-content-sha256,Signature=${signature}`,
      },
    };
    expect(verifyRequest(request, secrets, NOW).amzDate).toBe('20260301T120000Z');
  });

  it('rejects malformed Authorization headers with AuthorizationHeaderMalformed', async () => {
    const request = await signHeaders({ path: '/bucket/k' }, NOW);
    const value = String(request.headers['authorization']);
    const variants = [
      value.replace(/, Signature=[0-9a-f]+/, ''),
      value.replace('SignedHeaders=', 'Signed='),
      value.replace('/s3/', '/ec2/'),
      value.replace('aws4_request', 'aws5_request'),
      value.replace('/20260301/', '/20260302/'),
      value.replace(`${ACCESS_KEY}/`, ''),
    ];
    for (const variant of variants) {
      const err = await s3Error({ ...request, headers: { ...request.headers, authorization: variant } });
      expect([err.code, err.status]).toEqual(['AuthorizationHeaderMalformed', 400]);
    }
  });

  it('refuses SigV2, SigV4a, unknown schemes and anonymous requests as S3 does', async () => {
    const base: WireRequest = { method: 'GET', url: '/bucket/k', headers: { host: 'localhost:9000', date: NOW.toUTCString() } };
    const v2 = await s3Error({ ...base, headers: { ...base.headers, authorization: `AWS ${ACCESS_KEY}:c2lnbmF0dXJl` } });
    expect([v2.code, v2.message]).toEqual(['InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.']);
    const v2Query = await s3Error({ ...base, url: `/bucket/k?AWSAccessKeyId=${ACCESS_KEY}&Expires=1&Signature=abc` });
    expect(v2Query.code).toBe('InvalidRequest');
    const v4a = await s3Error({ ...base, headers: { ...base.headers, authorization: 'AWS4-ECDSA-P256-SHA256 Credential=x' } });
    expect(v4a.code).toBe('InvalidRequest');
    const bearer = await s3Error({ ...base, headers: { ...base.headers, authorization: 'Bearer secret-token' } });
    expect([bearer.code, bearer.details['ArgumentValue']]).toEqual(['InvalidArgument', 'Bearer']);
    const anonymous = await s3Error(base);
    expect([anonymous.code, anonymous.status]).toEqual(['AccessDenied', 403]);
  });

  it('rejects a request carrying both an Authorization header and presigned parameters', async () => {
    const request = await signHeaders({ path: '/bucket/k', query: { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' } }, NOW);
    const err = await s3Error(request);
    expect([err.code, err.details['ArgumentName']]).toEqual(['InvalidArgument', 'Authorization']);
  });

  it('rejects a date it cannot read with AccessDenied', async () => {
    const request = await signHeaders({ path: '/bucket/k' }, NOW);
    const err = await s3Error({ ...request, headers: { ...request.headers, 'x-amz-date': '2026-03-01T12:00:00Z' } });
    expect([err.code, err.message]).toEqual(['AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header']);
  });
});
