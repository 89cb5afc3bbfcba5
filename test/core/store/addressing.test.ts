import { describe, expect, it } from 'vitest';
import { resolveAddress } from '../../../main/core/store/addressing.js';
import { S3Error } from '../../../main/core/store/errors.js';

const DOMAINS = ['s3.localhost', 'localhost'];

describe('resolveAddress', () => {
  it.each([
    ['/', '127.0.0.1:9000', undefined, undefined],
    ['/bkt', '127.0.0.1:9000', 'bkt', undefined],
    ['/bkt/', '127.0.0.1:9000', 'bkt', undefined],
    ['/bkt/a/b%20c+d.txt', '127.0.0.1:9000', 'bkt', 'a/b c+d.txt'],
    ['/bkt/..%2F..%2Fetc%2Fpasswd', '127.0.0.1:9000', 'bkt', '../../etc/passwd'],
    ['/', 's3.localhost:9443', undefined, undefined],
    ['/bkt/k', 's3.localhost:9443', 'bkt', 'k'],
    ['/k/x', 'bkt.s3.localhost:9443', 'bkt', 'k/x'],
    ['/', 'bkt.s3.localhost', 'bkt', undefined],
    ['/k', 'bkt.localhost:9000', 'bkt', 'k'],
    ['/k', 'BKT.LOCALHOST:9000', 'bkt', 'k'],
    ['/bkt/k', '[::1]:9000', 'bkt', 'k'],
  ])('%s with Host %s', (url, host, bucket, key) => {
    const address = resolveAddress(url, host, DOMAINS);
    expect([address.bucket, address.key]).toEqual([bucket, key]);
  });

  it('refuses malformed escapes, NUL and over-long keys with S3 errors', () => {
    const code = (url: string): string => {
      try {
        resolveAddress(url, 'h', DOMAINS);
        return 'none';
      } catch (err) {
        return (err as S3Error).code;
      }
    };
    expect(code('/bkt/%E0%A4%A')).toBe('InvalidURI');
    expect(code('/bkt/%ED%A0%80')).toBe('InvalidURI');
    expect(code('/bkt/a%00b')).toBe('InvalidArgument');
    expect(code(`/bkt/${'k'.repeat(1025)}`)).toBe('KeyTooLongError');
    expect(code(`/bkt/${'k'.repeat(1024)}`)).toBe('none');
    expect(code(`/bkt/${'é'.repeat(513)}`)).toBe('KeyTooLongError');
  });
});
