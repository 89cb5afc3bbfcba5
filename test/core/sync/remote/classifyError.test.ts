// The error table: SDK error names, HTTP statuses and Node codes to retriable, skip or fatal; messages free of secrets.
import { S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../../../main/core/sync/remote/classifyError.js';
import { RemoteError } from '../../../../main/core/sync/remote/objectStore.js';

function s3Error(name: string, status: number, message = 'from the store'): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message });
}

function nodeError(code: string): Error {
  return Object.assign(new Error(`socket trouble ${code}`), { code });
}

const PUT = { operation: 'PutObject', write: true };
const GET = { operation: 'GetObject' };
const GET_SSE_C = { operation: 'GetObject', sseC: true };

describe('classifyError', () => {
  it.each([
    ['ECONNRESET (and "socket hang up", which Node codes so)', nodeError('ECONNRESET')],
    ['ECONNREFUSED', nodeError('ECONNREFUSED')],
    ['ETIMEDOUT', nodeError('ETIMEDOUT')],
    ['EPIPE', nodeError('EPIPE')],
    ['EAI_AGAIN', nodeError('EAI_AGAIN')],
    ['an SDK TimeoutError', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['500 InternalError', s3Error('InternalError', 500)],
    ['503 SlowDown', s3Error('SlowDown', 503)],
    ['502 with no body', s3Error('Unknown', 502)],
    ['429', s3Error('TooManyRequests', 429)],
    ['400 RequestTimeout', s3Error('RequestTimeout', 400)],
    ['403 RequestTimeTooSkewed (the SDK corrects its clock offset first)', s3Error('RequestTimeTooSkewed', 403)],
    ['400 BadDigest', s3Error('BadDigest', 400)],
  ])('retries %s', (_label, err) => {
    expect(classifyError(err, PUT).errorClass).toBe('retriable');
  });

  it.each([
    ['NoSuchKey on a get', s3Error('NoSuchKey', 404), GET],
    ['InvalidObjectState', s3Error('InvalidObjectState', 403), GET],
    ['EntityTooLarge', s3Error('EntityTooLarge', 400), PUT],
    ['AccessDenied for a wrong SSE-C key', s3Error('AccessDenied', 403), GET_SSE_C],
    ['a bodiless 403 on HEAD with an SSE-C key', s3Error('Unknown', 403), { operation: 'HeadObject', sseC: true }],
    ['InvalidRequest (no SSE-C key for an SSE-C object)', s3Error('InvalidRequest', 400), GET],
    ['a KMS key that cannot decrypt one object', s3Error('KMS.DisabledException', 400), GET],
    ['a local file that vanished', nodeError('ENOENT'), PUT],
    ['an unknown 4xx', s3Error('SomethingNew', 409), PUT],
  ])('skips %s', (_label, err, context) => {
    expect(classifyError(err, context).errorClass).toBe('skip');
  });

  it.each([
    ['InvalidAccessKeyId', s3Error('InvalidAccessKeyId', 403), GET],
    ['SignatureDoesNotMatch', s3Error('SignatureDoesNotMatch', 403), GET],
    ['NoSuchBucket', s3Error('NoSuchBucket', 404), GET],
    ['AccessDenied without SSE-C (no permission)', s3Error('AccessDenied', 403), PUT],
    ['NotImplemented', s3Error('NotImplemented', 501), PUT],
    ['a disabled KMS key on a write', s3Error('KMS.DisabledException', 400), PUT],
    ['a self-signed certificate', nodeError('DEPTH_ZERO_SELF_SIGNED_CERT'), GET],
    ['a certificate for another name', nodeError('ERR_TLS_CERT_ALTNAME_INVALID'), GET],
    ['a pin mismatch', nodeError('ERR_TLS_CERT_PIN_MISMATCH'), GET],
    ['a full disk', nodeError('ENOSPC'), GET],
    ['an unrecognised error (a defect)', new TypeError('undefined is not a function'), GET],
  ])('stops the folder on %s', (_label, err, context) => {
    expect(classifyError(err, context).errorClass).toBe('fatal');
  });

  it('keeps code, status and cause, and builds the message from them alone', () => {
    const cause = s3Error('AccessDenied', 403, 'key ZmFrZS1rZXk= refused for photos/secret.jpg');
    const err = classifyError(cause, GET_SSE_C);
    expect(err).toBeInstanceOf(RemoteError);
    expect([err.code, err.httpStatus, err.cause]).toEqual(['AccessDenied', 403, cause]);
    expect(err.message).toBe('GetObject failed: AccessDenied (HTTP 403)');
  });

  it('names bodiless HEAD answers from their status, and reads one level of cause', () => {
    expect(classifyError(s3Error('NotFound', 404), GET).code).toBe('NotFound');
    expect(classifyError(s3Error('Unknown', 400), GET).code).toBe('InvalidRequest');
    const wrapped = new Error('stream failed', { cause: nodeError('ECONNRESET') });
    expect(classifyError(wrapped, GET)).toMatchObject({ errorClass: 'retriable', code: 'ECONNRESET' });
  });

  it('returns RemoteErrors unchanged and turns an AbortError into a skip coded Aborted', () => {
    const remote = new RemoteError('x', 'fatal', 'X', undefined);
    expect(classifyError(remote, GET)).toBe(remote);
    const abort = classifyError(new DOMException('aborted', 'AbortError'), PUT);
    expect([abort.errorClass, abort.code]).toEqual(['skip', 'Aborted']);
  });
});
