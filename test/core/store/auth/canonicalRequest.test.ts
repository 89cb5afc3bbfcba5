// Canonical forms: AWS URI encoding, query sorting, header trimming, and the path-escaping variants real clients produce.
import { describe, expect, it } from 'vitest';

import {
  canonicalHeaderValue,
  canonicalQueryString,
  canonicalUriCandidates,
  deriveSigningKey,
  percentDecode,
  uriEncode,
  verifyRequest,
} from '../../../../main/core/store/auth/index.js';
import { cachedSigningKeyCount } from '../../../../main/core/store/auth/signingKey.js';
import { testSigningKey } from './chunkedBodies.js';
import { SECRET_KEY, caught, secrets, signHeaders } from './sigv4Support.js';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('AWS URI encoding', () => {
  it('keeps only A-Z a-z 0-9 - _ . ~ and upper-cases the hex', () => {
    expect(uriEncode("a b+c!*'()~-_.é/")).toBe('a%20b%2Bc%21%2A%27%28%29~-_.%C3%A9%2F');
    expect(uriEncode('dir/file name', true)).toBe('dir/file%20name');
  });

  it('decodes to bytes, leaves a stray % alone, and reads + as a space only in queries', () => {
    expect(percentDecode('a%2Bb+c%zz%e2%82%ac', false).toString('utf8')).toBe('a+b+c%zz€');
    expect(percentDecode('a%2Bb+c', true).toString('utf8')).toBe('a+b c');
    // Bytes that are not UTF-8 survive a decode/encode round trip.
    expect(uriEncode('x') + percentDecode('%FF%FE', false).toString('hex')).toBe('xfffe');
  });
});

describe('canonical parts', () => {
  it('sorts the query by name then value, encodes both, and omits the signature when asked', () => {
    expect(canonicalQueryString('prefix=a+b&acl&b=2&a=3&a=1&X-Amz-Signature=f00', 'X-Amz-Signature')).toBe(
      'a=1&a=3&acl=&b=2&prefix=a%20b',
    );
    expect(canonicalQueryString('')).toBe('');
  });

  it('trims header values and collapses inner blanks; repeated values join with a comma', () => {
    expect(canonicalHeaderValue('  a   b \t c  ')).toBe('a b c');
    expect(canonicalHeaderValue([' x ', 'y  z'])).toBe('x,y z');
  });

  it('offers the path as received and, when different, re-encoded with the AWS rules', () => {
    expect(canonicalUriCandidates('/b/plain')).toEqual(['/b/plain']);
    expect(canonicalUriCandidates('')).toEqual(['/']);
    expect(canonicalUriCandidates("/b/a+b!c*(d)'~")).toEqual(["/b/a+b!c*(d)'~", '/b/a%2Bb%21c%2A%28d%29%27~']);
    expect(canonicalUriCandidates('/b/x%7Ey%2fz')).toEqual(['/b/x%7Ey%2fz', '/b/x~y%2Fz']);
    // S3 does not normalise: dot segments and double slashes stay.
    expect(canonicalUriCandidates('/b/./a//c/../d')).toEqual(['/b/./a//c/../d']);
  });
});

describe('path escaping variants against the SDK signer', () => {
  // The S3 serializer escapes every key byte except the unreserved set and '/'.
  const signedPath = '/bucket/dir/a%2Bb%21c%2Ad%27e%28f%29g~h%20i';

  it('accepts the path as signed, with reserved characters sent raw, and with ~ sent escaped', async () => {
    const request = await signHeaders({ path: signedPath }, NOW);
    expect(verifyRequest(request, secrets, NOW).kind).toBe('header');
    const raw = { ...request, url: "/bucket/dir/a+b!c*d'e(f)g~h%20i" };
    expect(verifyRequest(raw, secrets, NOW).kind).toBe('header');
    const tilde = { ...request, url: signedPath.replace('~', '%7E') };
    expect(verifyRequest(tilde, secrets, NOW).kind).toBe('header');
  });

  it('accepts a client that signed reserved characters raw and sent them raw', async () => {
    const request = await signHeaders({ path: "/bucket/a+b!c*(d)'" }, NOW);
    expect(verifyRequest(request, secrets, NOW).kind).toBe('header');
  });

  it('never accepts a path that names a different key', async () => {
    const request = await signHeaders({ path: signedPath }, NOW);
    for (const url of ['/bucket/dir/a%20b%21c%2Ad%27e%28f%29g~h%20i', '/bucket/dir%2Fa%2Bb%21c%2Ad%27e%28f%29g~h%20i', '/bucket/dir/a+b']) {
      const err = (await caught(() => verifyRequest({ ...request, url }, secrets, NOW))) as { code: string };
      expect(err.code).toBe('SignatureDoesNotMatch');
    }
  });
});

describe('signing key', () => {
  it('matches an independent derivation and is cached with a bound', () => {
    expect(deriveSigningKey(SECRET_KEY, '20130524', 'us-east-1', 's3').equals(testSigningKey(SECRET_KEY, '20130524', 'us-east-1'))).toBe(true);
    for (let i = 0; i < 200; i++) deriveSigningKey(`secret-${i}`, '20130524', 'us-east-1', 's3');
    expect(cachedSigningKeyCount()).toBeLessThanOrEqual(64);
  });
});
