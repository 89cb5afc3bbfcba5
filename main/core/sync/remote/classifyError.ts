// Turns any failure of a remote call into a RemoteError whose class (retriable, skip, fatal) the executor acts on.
//
// Decided from the SDK error name (S3's error code), the HTTP status and Node's error code, never
// from message text. The table, and why:
// - retriable: the network (connection reset, refused, timed out, broken pipe, DNS not answering),
//   every 5xx, 408, 429, SlowDown/Throttling, RequestTimeout, BadDigest (bytes damaged in transit)
//   and RequestTimeTooSkewed: the SDK corrects its clock offset from the failed response's Date
//   header, so the next try is signed with the right time.
// - skip (this object only): NoSuchKey, InvalidObjectState, EntityTooLarge, a wrong or missing
//   SSE-C key (AccessDenied / InvalidRequest on a read that carried or needed one), KMS key problems
//   when reading one object, the local file vanishing or being unreadable, the caller's own abort,
//   and any other 4xx, which S3 uses for "this request is wrong".
// - fatal (stop the folder): bad credentials, signature mismatch, a missing bucket, permission
//   denied without SSE-C involved, NotImplemented, redirects to another region, TLS certificate
//   failures and pin mismatches, SSE-C refused over plain HTTP, a KMS key unusable for writing, a
//   full or read-only local disk, and anything unrecognised (a defect should be seen, not retried).
import { RemoteError, type RemoteErrorClass } from './objectStore.js';

export interface ErrorContext {
  /** The S3 operation as AWS names it ('PutObject', 'UploadPart'...), used in the message. */
  readonly operation: string;
  /** The request reads an object with an SSE-C key (get, head, copy source): a refusal concerns that object's key. */
  readonly sseC?: boolean;
  /** The request writes: a KMS key that cannot be used then affects every upload, not one object. */
  readonly write?: boolean;
}

/** Our own code for a server certificate that is not the pinned one. */
export const PIN_MISMATCH_CODE = 'ERR_TLS_CERT_PIN_MISMATCH';
/** Our own code for an SSE-C request refused before sending because the endpoint is plain HTTP. */
export const INSECURE_SSE_C_CODE = 'SseCRequiresHttps';
/** Our own code for the caller's AbortSignal firing. */
export const ABORTED_CODE = 'Aborted';

const FATAL_CODES = new Set([
  'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'NoSuchBucket', 'AccountProblem', 'AllAccessDisabled',
  'InvalidBucketName', 'AuthorizationHeaderMalformed', 'PermanentRedirect', 'Redirect', 'TemporaryRedirect',
  'NotImplemented', 'InvalidSecurity', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired',
  'MissingSecurityHeader', 'BucketAlreadyExists', 'CredentialsProviderError',
  PIN_MISMATCH_CODE, INSECURE_SSE_C_CODE,
  // The local disk cannot take a download: no point trying the next file.
  'ENOSPC', 'EDQUOT', 'EROFS',
]);

const RETRIABLE_CODES = new Set([
  'RequestTimeout', 'RequestTimeTooSkewed', 'SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequests',
  'RequestLimitExceeded', 'InternalError', 'ServiceUnavailable', 'OperationAborted', 'BadDigest',
  'XAmzContentSHA256Mismatch', 'IncompleteBody', 'TimeoutError', 'RequestTimeoutException',
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'EHOSTUNREACH',
  'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ENOTFOUND', 'EMFILE', 'ENFILE', 'ERR_STREAM_PREMATURE_CLOSE',
]);

const KMS_KEY_CODES = new Set(['KMS.DisabledException', 'KMS.KMSInvalidStateException', 'KMS.NotFoundException']);

/** The local source file changed or vanished: the next scan sees what it became. */
const LOCAL_SKIP_CODES = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EBUSY', 'ELOOP', 'LocalFileChanged']);

/** TLS verification failures from OpenSSL and Node (fatal: the endpoint is not who it should be). */
function isTlsCertificateCode(code: string): boolean {
  return /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT_|ERR_SSL_|HOSTNAME_MISMATCH)/.test(code);
}

/** Names the SDK gives errors whose response had no body (HEAD): the status is all there is. */
const BODILESS_NAMES = new Set(['Unknown', 'UnknownError', 'NotFound', 'Forbidden', 'BadRequest', 'MovedPermanently']);
const CODE_BY_STATUS: Record<number, string> = { 301: 'PermanentRedirect', 400: 'InvalidRequest', 403: 'AccessDenied', 404: 'NotFound', 412: 'PreconditionFailed' };

interface Facts {
  code: string | undefined;
  status: number | undefined;
}

function factsOf(err: unknown): Facts {
  if (typeof err !== 'object' || err === null) return { code: undefined, status: undefined };
  const e = err as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: unknown }; cause?: unknown };
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const name = typeof e.name === 'string' ? e.name : undefined;
  if (status !== undefined) {
    const code = name === undefined || BODILESS_NAMES.has(name) ? CODE_BY_STATUS[status] ?? name : name;
    return { code, status };
  }
  if (typeof e.code === 'string') return { code: e.code, status: undefined };
  if (name === 'TimeoutError' || name === 'CredentialsProviderError') return { code: name, status: undefined };
  // One level of wrapping (e.g. a stream error carrying the socket's error as its cause).
  if (e.cause !== undefined && e.cause !== err) return factsOf(e.cause);
  return { code: undefined, status: undefined };
}

function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

function classOf({ code, status }: Facts, context: ErrorContext): RemoteErrorClass {
  if (code !== undefined) {
    if (FATAL_CODES.has(code) || isTlsCertificateCode(code)) return 'fatal';
    if (KMS_KEY_CODES.has(code)) return context.write ? 'fatal' : 'skip';
    if (code === 'AccessDenied') return context.sseC ? 'skip' : 'fatal';
    if (RETRIABLE_CODES.has(code)) return 'retriable';
    if (LOCAL_SKIP_CODES.has(code)) return 'skip';
  }
  if (status !== undefined) {
    if (status >= 500 || status === 408 || status === 429) return 'retriable';
    if (status >= 400) return 'skip';
  }
  return 'fatal';
}

/**
 * Wraps `err` (returned unchanged when it already is a RemoteError). The message names only the
 * operation, the code and the status: never object keys, request headers or secrets; the original
 * error is kept as `cause` for diagnosis.
 */
export function classifyError(err: unknown, context: ErrorContext): RemoteError {
  if (err instanceof RemoteError) return err;
  if (isAbort(err)) return new RemoteError(`${context.operation} was aborted`, 'skip', ABORTED_CODE, undefined, { cause: err });
  const facts = factsOf(err);
  const errorClass = classOf(facts, context);
  const what = facts.code ?? 'an unrecognised error';
  const status = facts.status === undefined ? '' : ` (HTTP ${facts.status})`;
  return new RemoteError(`${context.operation} failed: ${what}${status}`, errorClass, facts.code, facts.status, { cause: err });
}
