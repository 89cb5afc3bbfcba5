// Parses SigV4 authentication parameters from the Authorization header or a presigned URL's query string, rejecting malformed input with S3's codes.
//
// Header form: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html
// Query form:  https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html

import { S3Error } from '../errors.js';
import { SIGV4_ALGORITHM } from './canonicalRequest.js';

export interface ParsedAuth {
  readonly kind: 'header' | 'presigned';
  readonly accessKeyId: string;
  /** yyyymmdd from the credential scope. */
  readonly scopeDate: string;
  readonly region: string;
  /** Lower-case signed header names in the order listed. */
  readonly signedHeaders: readonly string[];
  /** Signature as sent (compared in constant time later). */
  readonly signature: string;
  /** Presigned only: X-Amz-Date and X-Amz-Expires (seconds). */
  readonly presignedDate?: string;
  readonly expiresSeconds?: number;
}

/** Upper bound of X-Amz-Expires: seven days, in seconds. */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;

const UNSUPPORTED_MECHANISM = 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.';

/** SigV2 (header "AWS AK:sig" or query Signature=) and SigV4a are refused the way S3 refuses SigV2 in new regions. */
export function unsupportedMechanism(): S3Error {
  return new S3Error('InvalidRequest', UNSUPPORTED_MECHANISM);
}

interface Scope {
  accessKeyId: string;
  scopeDate: string;
  region: string;
}

/** Credential = <access key>/<yyyymmdd>/<region>/s3/aws4_request. */
function parseCredential(credential: string, fail: (reason: string) => S3Error): Scope {
  const parts = credential.split('/');
  if (parts.length < 5) throw fail(`the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
  const [terminal, service, region, scopeDate] = parts.splice(-4).reverse() as [string, string, string, string];
  const accessKeyId = parts.join('/');
  if (accessKeyId === '' || !/^\d{8}$/.test(scopeDate) || region === '') {
    throw fail(`the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
  }
  if (service !== 's3') throw fail(`incorrect service "${service}". This endpoint belongs to "s3".`);
  if (terminal !== 'aws4_request') throw fail(`incorrect terminal "${terminal}". This endpoint uses "aws4_request".`);
  return { accessKeyId, scopeDate, region };
}

function parseSignedHeaders(list: string): string[] {
  return list.split(';').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
}

/**
 * "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=a;b, Signature=hex". Blanks around the commas
 * vary between clients and are ignored. Problems -> 400 AuthorizationHeaderMalformed.
 */
export function parseAuthorizationHeader(value: string): ParsedAuth {
  const malformed = (reason: string): S3Error =>
    new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${reason}`);
  const space = value.indexOf(' ');
  const scheme = space < 0 ? value : value.slice(0, space);
  if (scheme !== SIGV4_ALGORITHM) {
    if (scheme === 'AWS' || scheme.startsWith('AWS4-')) throw unsupportedMechanism();
    // S3 answers an unknown scheme this way; only the scheme is echoed, never a token that may follow it.
    throw new S3Error('InvalidArgument', 'Unsupported Authorization Type', { ArgumentName: 'Authorization', ArgumentValue: scheme });
  }
  const fields = new Map<string, string>();
  for (const item of value.slice(space + 1).split(',')) {
    const trimmed = item.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) throw malformed(`the authorization component "${trimmed}" is malformed.`);
    fields.set(trimmed.slice(0, eq).trim(), trimmed.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (credential === undefined) throw malformed('missing Credential.');
  if (signedHeaders === undefined) throw malformed('missing SignedHeaders.');
  if (signature === undefined) throw malformed('missing Signature.');
  const scope = parseCredential(credential, malformed);
  return { kind: 'header', ...scope, signedHeaders: parseSignedHeaders(signedHeaders), signature };
}

/** Exact-name lookup: S3 reads the X-Amz-* authentication parameters case-sensitively. */
function first(query: ReadonlyArray<[string, string]>, name: string): string | undefined {
  for (const [key, value] of query) if (key === name) return value;
  return undefined;
}

/** True when the query string carries SigV4 (X-Amz-Algorithm/Credential/Signature) parameters. */
export function hasPresignedParameters(query: ReadonlyArray<[string, string]>): boolean {
  return query.some(([key]) => key === 'X-Amz-Algorithm' || key === 'X-Amz-Credential' || key === 'X-Amz-Signature');
}

/** True for a SigV2 presigned URL (AWSAccessKeyId + Signature). */
export function hasSigV2Parameters(query: ReadonlyArray<[string, string]>): boolean {
  return query.some(([key]) => key === 'Signature') && query.some(([key]) => key === 'AWSAccessKeyId');
}

/**
 * The six X-Amz-* parameters of a presigned URL. Missing ones -> 400
 * AuthorizationQueryParametersError (S3's default text lists them); bad values -> the same code
 * with S3's specific message.
 */
export function parsePresignedQuery(query: ReadonlyArray<[string, string]>): ParsedAuth {
  const algorithm = first(query, 'X-Amz-Algorithm');
  const credential = first(query, 'X-Amz-Credential');
  const date = first(query, 'X-Amz-Date');
  const expires = first(query, 'X-Amz-Expires');
  const signedHeaders = first(query, 'X-Amz-SignedHeaders');
  const signature = first(query, 'X-Amz-Signature');
  if (
    algorithm === undefined || credential === undefined || date === undefined ||
    expires === undefined || signedHeaders === undefined || signature === undefined
  ) {
    throw new S3Error('AuthorizationQueryParametersError');
  }
  const fail = (reason: string): S3Error => new S3Error('AuthorizationQueryParametersError', reason);
  if (algorithm !== SIGV4_ALGORITHM) throw fail(`X-Amz-Algorithm only supports "${SIGV4_ALGORITHM}"`);
  if (!/^-?\d+$/.test(expires)) throw fail('X-Amz-Expires should be a number');
  const expiresSeconds = Number(expires);
  if (expiresSeconds < 1) throw fail('X-Amz-Expires must be non-negative');
  if (expiresSeconds > MAX_PRESIGNED_EXPIRES_SECONDS) {
    throw fail(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_EXPIRES_SECONDS}`);
  }
  const scope = parseCredential(credential, (reason) => fail(`Error parsing the X-Amz-Credential parameter; ${reason}`));
  return {
    kind: 'presigned',
    ...scope,
    signedHeaders: parseSignedHeaders(signedHeaders),
    signature,
    presignedDate: date,
    expiresSeconds,
  };
}
