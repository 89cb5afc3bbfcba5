// Reads the request time a signature claims and enforces S3's time window: 15 minutes of clock skew for header auth, expiry for presigned URLs.
//
// Skew: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
// ("...not within 15 minutes of the server's time...") and RequestTimeTooSkewed in
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html.
// Expiry: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html (X-Amz-Expires).

import { S3Error } from '../errors.js';
import type { ParsedAuth } from './authorization.js';

/** Largest accepted difference between the request time and the server clock, in milliseconds. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export interface RequestTime {
  /** yyyyMMddTHHmmssZ, the form the string to sign uses. */
  readonly amzDate: string;
  readonly time: Date;
  /** The value as the client sent it, for error details. */
  readonly raw: string;
  /** Which header carried it (header auth); the date header must itself be signed. */
  readonly header: 'x-amz-date' | 'date' | undefined;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses ISO 8601 basic (20130524T000000Z); undefined unless it names a real instant. */
export function parseAmzDate(text: string): Date | undefined {
  const m = AMZ_DATE.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const time = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return toAmzDate(time) === text ? time : undefined;
}

export function toAmzDate(time: Date): string {
  return time.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** ISO 8601 extended without milliseconds (2013-05-24T00:00:00Z), the form S3 uses in error details. */
export function isoSeconds(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function invalidDate(): S3Error {
  return new S3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
}

/**
 * The request time: X-Amz-Date for presigned URLs; otherwise the x-amz-date header, falling back to
 * Date (RFC 7231), which SigV4 allows. A missing or unreadable time -> 403 AccessDenied as S3 does.
 */
export function resolveRequestTime(auth: ParsedAuth, headers: Readonly<Record<string, string | undefined>>): RequestTime {
  if (auth.kind === 'presigned') {
    const raw = auth.presignedDate ?? '';
    const time = parseAmzDate(raw);
    if (time === undefined) {
      throw new S3Error('AuthorizationQueryParametersError', 'X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
    }
    return { amzDate: raw, time, raw, header: undefined };
  }
  const amz = headers['x-amz-date'];
  if (amz !== undefined) {
    const time = parseAmzDate(amz);
    if (time === undefined) throw invalidDate();
    return { amzDate: amz, time, raw: amz, header: 'x-amz-date' };
  }
  const date = headers['date'];
  if (date === undefined) throw invalidDate();
  const millis = Date.parse(date);
  if (Number.isNaN(millis)) throw invalidDate();
  const time = new Date(millis);
  return { amzDate: toAmzDate(time), time, raw: date, header: 'date' };
}

/**
 * Header auth: |now - time| must not exceed 15 minutes (403 RequestTimeTooSkewed). Presigned URLs
 * are valid from their X-Amz-Date (tolerating the same skew into the future, else 403 AccessDenied
 * "Request is not yet valid") until X-Amz-Date + X-Amz-Expires (else 403 AccessDenied "Request has
 * expired").
 */
export function checkTimeWindow(auth: ParsedAuth, request: RequestTime, now: Date): void {
  const delta = now.getTime() - request.time.getTime();
  if (auth.kind === 'header') {
    if (Math.abs(delta) > MAX_CLOCK_SKEW_MS) {
      throw new S3Error('RequestTimeTooSkewed', undefined, {
        RequestTime: request.raw,
        ServerTime: isoSeconds(now),
        MaxAllowedSkewMilliseconds: String(MAX_CLOCK_SKEW_MS),
      });
    }
    return;
  }
  const expires = new Date(request.time.getTime() + (auth.expiresSeconds ?? 0) * 1000);
  if (-delta > MAX_CLOCK_SKEW_MS) {
    throw new S3Error('AccessDenied', 'Request is not yet valid', {
      'X-Amz-Date': request.raw,
      Expires: isoSeconds(expires),
      ServerTime: isoSeconds(now),
    });
  }
  if (now.getTime() > expires.getTime()) {
    throw new S3Error('AccessDenied', 'Request has expired', {
      'X-Amz-Expires': String(auth.expiresSeconds),
      Expires: isoSeconds(expires),
      ServerTime: isoSeconds(now),
    });
  }
}
