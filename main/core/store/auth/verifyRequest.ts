// Verifies a request's SigV4 signature (Authorization header or presigned URL) and returns what it proved, or throws the S3Error S3 would send.
//
// Header auth: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
// Presigned:   https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
// Decisions where S3's documentation is silent are recorded in SIGV4.md next to this file.

import type { IncomingHttpHeaders } from 'node:http';

import { S3Error } from '../errors.js';
import { type AuthContext, type PayloadMode, UNSIGNED_PAYLOAD, parsePayloadMode } from './authContext.js';
import {
  type ParsedAuth,
  hasPresignedParameters,
  hasSigV2Parameters,
  parseAuthorizationHeader,
  parsePresignedQuery,
  unsupportedMechanism,
} from './authorization.js';
import {
  canonicalHeaderValue,
  canonicalQueryString,
  canonicalRequest,
  canonicalUriCandidates,
  stringToSign,
} from './canonicalRequest.js';
import type { SecretLookup } from './credentials.js';
import { headerText, parseQuery, splitTarget } from './requestTarget.js';
import { checkTimeWindow, resolveRequestTime } from './requestTime.js';
import { deriveSigningKey } from './signingKey.js';
import { hmacSha256Hex, sameSignature } from './signatures.js';

export interface RequestToVerify {
  readonly method: string;
  /** Raw path and query exactly as received (Node's `req.url`). */
  readonly url: string;
  /** Node's `req.headers` (or `req.headersDistinct`, which keeps repeated headers apart). */
  readonly headers: IncomingHttpHeaders;
}

const SIGNATURE_PARAM = 'X-Amz-Signature';

type HeaderBag = Record<string, string | string[]>;

/** Header names lower-cased once, so callers may pass any casing. */
function normaliseHeaders(headers: IncomingHttpHeaders): HeaderBag {
  const out: HeaderBag = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const prior = out[key];
    out[key] = prior === undefined ? value : ([] as string[]).concat(prior, value);
  }
  return out;
}

function notSigned(names: readonly string[]): S3Error {
  return new S3Error('AccessDenied', 'There were headers present in the request which were not signed', {
    HeadersNotSigned: names.join(', '),
  });
}

/**
 * Host must always be signed. Header auth must also sign the header that carries its date,
 * otherwise a captured request could be replayed with a fresh date. As on S3, every x-amz-* header
 * sent must be signed, with either kind of authentication: those headers change what a request
 * does (a copy source, a key, a directive), and one added on the way (a proxy, a presigned URL in
 * other hands) must not ride on a signature that never covered it.
 */
function checkSignedHeaderRules(signed: ReadonlySet<string>, headers: HeaderBag, dateHeader: string | undefined): void {
  const missing: string[] = [];
  if (!signed.has('host')) missing.push('host');
  if (dateHeader !== undefined && !signed.has(dateHeader)) missing.push(dateHeader);
  // Every request passes here: sort only the names being refused, not every header.
  const unsigned = Object.keys(headers).filter((name) => name.startsWith('x-amz-') && !signed.has(name) && name !== dateHeader);
  missing.push(...unsigned.sort());
  if (missing.length > 0) throw notSigned(missing);
}

/**
 * Presigned URLs default to UNSIGNED-PAYLOAD; a client may instead sign a hash, carried in the
 * query (hoisted by the presigner) or in a header.
 */
function presignedPayloadHash(query: ReadonlyArray<[string, string]>, headers: HeaderBag): string {
  for (const [key, value] of query) if (key.toLowerCase() === 'x-amz-content-sha256') return value;
  return headerText(headers['x-amz-content-sha256']) ?? UNSIGNED_PAYLOAD;
}

/**
 * Canonical values of the signed headers. For presigned URLs a signed header that is absent may be
 * satisfied by a query parameter of the same name (presigners differ in what they hoist).
 */
function signedHeaderValues(auth: ParsedAuth, headers: HeaderBag, query: ReadonlyArray<[string, string]>): Map<string, string> {
  const values = new Map<string, string>();
  for (const name of auth.signedHeaders) {
    let value: string | readonly string[] | undefined = headers[name];
    if (value === undefined && auth.kind === 'presigned') {
      value = query.find(([key]) => key.toLowerCase() === name)?.[1];
    }
    values.set(name, value === undefined ? '' : canonicalHeaderValue(value));
  }
  return values;
}

/**
 * Authenticates one request at time `now`. Throws S3Error:
 * - 403 AccessDenied: no authentication, a date that cannot be read, unsigned host, date or
 *   x-amz-* headers (HeadersNotSigned), an expired or not yet valid presigned URL;
 * - 400 InvalidRequest: SigV2 / SigV4a, or a missing x-amz-content-sha256 (header auth);
 * - 400 InvalidArgument: an invalid x-amz-content-sha256, two mechanisms at once, an unknown scheme;
 * - 400 AuthorizationHeaderMalformed / AuthorizationQueryParametersError: malformed parameters,
 *   a credential scope other than <date>/<region>/s3/aws4_request, a scope date that is not the
 *   request date, or (when `region` is given) a scope region other than the store's, with `Region`
 *   naming the right one so a client can re-sign;
 * - 403 InvalidAccessKeyId, RequestTimeTooSkewed, SignatureDoesNotMatch.
 */
export function verifyRequest(input: RequestToVerify, secrets: SecretLookup, now: Date, region?: string): AuthContext {
  const headers = normaliseHeaders(input.headers);
  const target = splitTarget(input.url);
  const query = parseQuery(target.rawQuery);
  const authorization = headerText(headers['authorization']);
  const presigned = hasPresignedParameters(query);

  let auth: ParsedAuth;
  if (authorization !== undefined && presigned) {
    throw new S3Error(
      'InvalidArgument',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      { ArgumentName: 'Authorization', ArgumentValue: authorization.split(' ')[0] ?? '' },
    );
  } else if (authorization !== undefined) {
    auth = parseAuthorizationHeader(authorization);
  } else if (presigned) {
    auth = parsePresignedQuery(query);
  } else if (hasSigV2Parameters(query)) {
    throw unsupportedMechanism();
  } else {
    throw new S3Error('AccessDenied');
  }

  const time = resolveRequestTime(auth, {
    'x-amz-date': headerText(headers['x-amz-date']),
    date: headerText(headers['date']),
  });
  if (time.amzDate.slice(0, 8) !== auth.scopeDate) {
    const reason = 'Invalid credential date. Date is not the same as X-Amz-Date.';
    throw auth.kind === 'header'
      ? new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${reason}`)
      : new S3Error('AuthorizationQueryParametersError', reason);
  }
  if (region !== undefined && auth.region !== region) throw wrongRegion(auth, region);

  const secret = secrets(auth.accessKeyId);
  if (secret === undefined) throw new S3Error('InvalidAccessKeyId', undefined, { AWSAccessKeyId: auth.accessKeyId });

  checkTimeWindow(auth, time, now);
  const signedHeaders = new Set(auth.signedHeaders);
  checkSignedHeaderRules(signedHeaders, headers, time.header);

  const payloadHash = auth.kind === 'header'
    ? headerText(headers['x-amz-content-sha256'])
    : presignedPayloadHash(query, headers);
  const payload: PayloadMode = parsePayloadMode(payloadHash);

  const scope = `${auth.scopeDate}/${auth.region}/s3/aws4_request`;
  const signingKey = deriveSigningKey(secret, auth.scopeDate, auth.region, 's3');
  const headerValues = signedHeaderValues(auth, headers, query);
  const canonicalQuery = canonicalQueryString(target.rawQuery, auth.kind === 'presigned' ? SIGNATURE_PARAM : undefined);

  let firstAttempt: { canonical: string; toSign: string } | undefined;
  for (const canonicalUri of canonicalUriCandidates(target.rawPath)) {
    const canonical = canonicalRequest({
      method: input.method,
      canonicalUri,
      canonicalQuery,
      signedHeaders: auth.signedHeaders,
      headerValues,
      payloadHash: payloadHash ?? UNSIGNED_PAYLOAD,
    });
    const toSign = stringToSign(time.amzDate, scope, canonical);
    if (sameSignature(hmacSha256Hex(signingKey, toSign), auth.signature)) {
      return {
        accessKeyId: auth.accessKeyId,
        kind: auth.kind,
        signedHeaders,
        region: auth.region,
        amzDate: time.amzDate,
        scope,
        seedSignature: auth.signature,
        signingKey,
        payload,
      };
    }
    firstAttempt ??= { canonical, toSign };
  }
  // The details help a client debug its signer; they hold nothing secret (no key, no expected signature).
  throw new S3Error('SignatureDoesNotMatch', undefined, {
    AWSAccessKeyId: auth.accessKeyId,
    StringToSign: firstAttempt?.toSign,
    SignatureProvided: auth.signature,
    CanonicalRequest: firstAttempt?.canonical,
  });
}

/** S3 names the region it expects, so SDKs that follow region redirects can sign again for it. */
function wrongRegion(auth: ParsedAuth, expected: string): S3Error {
  const reason = `the region '${auth.region}' is wrong; expecting '${expected}'`;
  return auth.kind === 'header'
    ? new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${reason}`, { Region: expected })
    : new S3Error('AuthorizationQueryParametersError', `Error parsing the X-Amz-Credential parameter; ${reason}`, { Region: expected });
}
