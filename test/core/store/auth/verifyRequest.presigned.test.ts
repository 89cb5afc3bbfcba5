// Presigned URLs from the real SDK presigner verify; expiry, unsigned x-amz-* headers, tampering and malformed parameters fail as on S3.
import { describe, expect, it } from 'vitest';

import { headerOrSignedQuery, parseQuery, splitTarget, verifyRequest } from '../../../../main/core/store/auth/index.js';
import { S3Error } from '../../../../main/core/store/errors.js';
import { ACCESS_KEY, type WireRequest, caught, presign, secrets } from './sigv4Support.js';

const SIGNED_AT = new Date('2026-03-01T12:00:00Z');
const later = (seconds: number): Date => new Date(SIGNED_AT.getTime() + seconds * 1000);

async function s3Error(request: WireRequest, now: Date): Promise<S3Error> {
  const err = await caught(() => verifyRequest(request, secrets, now));
  expect(err).toBeInstanceOf(S3Error);
  return err as S3Error;
}

const SSE = 'x-amz-server-side-encryption';

describe('verifyRequest with a presigned URL', () => {
  it('accepts a presigned GET until it expires, with an unsigned payload', async () => {
    const request = await presign({ method: 'GET', path: '/bucket/a%20b.txt', query: { 'x-id': 'GetObject' } }, SIGNED_AT, { expiresIn: 600 });
    expect(request.url).toContain('X-Amz-Signature=');
    for (const now of [SIGNED_AT, later(599), later(600)]) {
      const auth = verifyRequest(request, secrets, now);
      expect(auth).toMatchObject({ kind: 'presigned', accessKeyId: ACCESS_KEY, payload: { kind: 'unsigned' } });
      expect([...auth.signedHeaders]).toEqual(['host']);
    }
    const err = await s3Error(request, later(601));
    expect([err.code, err.status, err.message]).toEqual(['AccessDenied', 403, 'Request has expired']);
    expect(err.details).toMatchObject({ 'X-Amz-Expires': '600', Expires: '2026-03-01T12:10:00Z', ServerTime: '2026-03-01T12:10:01Z' });
  });

  it('is not subject to skew once valid, but a URL dated too far in the future is not yet valid', async () => {
    const request = await presign({ path: '/bucket/k' }, SIGNED_AT, { expiresIn: 604_800 });
    expect(verifyRequest(request, secrets, later(6 * 86_400)).kind).toBe('presigned');
    expect(verifyRequest(request, secrets, later(-15 * 60)).kind).toBe('presigned');
    const err = await s3Error(request, later(-16 * 60));
    expect([err.code, err.message]).toEqual(['AccessDenied', 'Request is not yet valid']);
  });

  it('reads UNSIGNED-PAYLOAD from the query (v3 presigner) or assumes it when the URL names no payload hash (botocore)', async () => {
    const v3 = await presign({ method: 'PUT', path: '/bucket/k' }, SIGNED_AT);
    expect(v3.url).toContain('x-amz-content-sha256=UNSIGNED-PAYLOAD');
    expect(verifyRequest(v3, secrets, SIGNED_AT).payload).toEqual({ kind: 'unsigned' });
    const botocore = await presign({ method: 'PUT', path: '/bucket/k' }, SIGNED_AT, { style: 'botocore' });
    expect(botocore.url).not.toContain('sha256');
    expect(verifyRequest(botocore, secrets, SIGNED_AT).payload).toEqual({ kind: 'unsigned' });
  });

  it('accepts SSE values the presigner hoisted into the query, and the store reads them from there', async () => {
    const request = await presign({ method: 'PUT', path: '/bucket/k', headers: { [SSE]: 'AES256' } }, SIGNED_AT, { style: 'hoist-all' });
    expect(request.url).toContain(`${SSE}=AES256`);
    const auth = verifyRequest(request, secrets, SIGNED_AT);
    const query = parseQuery(splitTarget(request.url).rawQuery);
    expect(headerOrSignedQuery(SSE, request.headers, query, auth)).toBe('AES256');
    expect(headerOrSignedQuery(SSE, request.headers, new URLSearchParams(splitTarget(request.url).rawQuery), auth)).toBe('AES256');
    // Header auth never takes these values from the query.
    expect(headerOrSignedQuery(SSE, request.headers, query, { kind: 'header' })).toBeUndefined();
  });

  it('accepts SSE headers kept as signed headers when the client sends them, and refuses them otherwise', async () => {
    for (const style of ['v3', 'botocore'] as const) {
      const request = await presign(
        { method: 'PUT', path: '/bucket/k', headers: { [SSE]: 'aws:kms', [`${SSE}-aws-kms-key-id`]: 'alias/k' } },
        SIGNED_AT,
        { style },
      );
      expect(request.url).not.toContain(`${SSE}=`);
      expect(verifyRequest(request, secrets, SIGNED_AT).signedHeaders.has(SSE)).toBe(true);
    }
    const request = await presign(
      { method: 'PUT', path: '/bucket/k', headers: { [SSE]: 'aws:kms', [`${SSE}-aws-kms-key-id`]: 'alias/k' } },
      SIGNED_AT,
    );
    const auth = verifyRequest(request, secrets, SIGNED_AT);
    expect(auth.signedHeaders.has(SSE)).toBe(true);

    const withoutHeader = { ...request, headers: { ...request.headers } };
    delete withoutHeader.headers[SSE];
    expect((await s3Error(withoutHeader, SIGNED_AT)).code).toBe('SignatureDoesNotMatch');
    const changed = { ...request, headers: { ...request.headers, [SSE]: 'AES256' } };
    expect((await s3Error(changed, SIGNED_AT)).code).toBe('SignatureDoesNotMatch');
  });

  it('lets a signed header be satisfied by a same-named query parameter', async () => {
    // A presigner that both lists the header as signed and carries its value in the query string.
    const request = await presign(
      { method: 'PUT', path: '/bucket/k', headers: { [SSE]: 'AES256' }, query: { [SSE]: 'AES256' } },
      SIGNED_AT,
    );
    delete request.headers[SSE];
    const auth = verifyRequest(request, secrets, SIGNED_AT);
    expect(auth.signedHeaders.has(SSE)).toBe(true);
    expect(headerOrSignedQuery(SSE, request.headers, parseQuery(splitTarget(request.url).rawQuery), auth)).toBe('AES256');
  });

  it('refuses x-amz-* headers that were not signed, listing them in HeadersNotSigned', async () => {
    const request = await presign({ method: 'PUT', path: '/bucket/k' }, SIGNED_AT);
    const extra = { ...request, headers: { ...request.headers, [SSE]: 'AES256', 'x-amz-meta-a': '1', 'content-type': 'text/plain' } };
    const err = await s3Error(extra, SIGNED_AT);
    expect([err.code, err.status, err.message]).toEqual(['AccessDenied', 403, 'There were headers present in the request which were not signed']);
    expect(err.details['HeadersNotSigned']).toBe(`x-amz-meta-a, ${SSE}`);
  });

  it('rejects tampering with SignatureDoesNotMatch', async () => {
    const request = await presign({ path: '/bucket/k', query: { 'response-content-type': 'text/plain' } }, SIGNED_AT);
    const variants: WireRequest[] = [
      { ...request, method: 'PUT' },
      { ...request, url: request.url.replace('/bucket/k', '/bucket/K') },
      { ...request, url: request.url.replace('text%2Fplain', 'text%2Fhtml') },
      { ...request, url: request.url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=7200') },
      { ...request, headers: { ...request.headers, host: 'evil.example:9000' } },
    ];
    for (const variant of variants) expect((await s3Error(variant, SIGNED_AT)).code).toBe('SignatureDoesNotMatch');
  });

  it('reports missing or invalid query parameters with AuthorizationQueryParametersError', async () => {
    const request = await presign({ path: '/bucket/k' }, SIGNED_AT);
    const variants = [
      request.url.replace(/&?X-Amz-SignedHeaders=[^&]*/, ''),
      request.url.replace(/&?X-Amz-Date=[^&]*/, ''),
      request.url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604801'),
      request.url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=0'),
      request.url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=soon'),
      request.url.replace(/X-Amz-Date=[^&]*/, 'X-Amz-Date=yesterday'),
      request.url.replace(/X-Amz-Date=\d{8}/, 'X-Amz-Date=20260302'),
      request.url.replace('%2Fs3%2F', '%2Fsqs%2F'),
      request.url.replace('X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=AWS4-HMAC-SHA512'),
    ];
    for (const url of variants) {
      const err = await s3Error({ ...request, url }, SIGNED_AT);
      expect([url, err.code, err.status]).toEqual([url, 'AuthorizationQueryParametersError', 400]);
    }
  });
});
