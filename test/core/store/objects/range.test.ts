import { describe, expect, it } from 'vitest';
import { S3Error } from '../../../../main/core/store/errors.js';
import { contentRange, parseRange } from '../../../../main/core/store/objects/range.js';

describe('parseRange', () => {
  it.each([
    ['bytes=0-0', 10, { start: 0, end: 1 }],
    ['bytes=2-5', 10, { start: 2, end: 6 }],
    ['bytes=5-', 10, { start: 5, end: 10 }],
    ['bytes=-3', 10, { start: 7, end: 10 }],
    ['bytes=-30', 10, { start: 0, end: 10 }],
    ['bytes=8-100', 10, { start: 8, end: 10 }],
  ])('%s of %i bytes', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });

  it.each([undefined, 'bytes=', 'bytes=-', 'items=0-1', 'bytes=0-1,3-4', 'bytes=5-2'])('serves the whole object for %s', (header) => {
    expect(parseRange(header, 10)).toBeUndefined();
  });

  it.each([
    ['bytes=10-', 10],
    ['bytes=10-20', 10],
    ['bytes=-0', 10],
    ['bytes=0-0', 0],
  ])('answers 416 InvalidRange with the size for %s of %i bytes', (header, size) => {
    try {
      parseRange(header, size);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(S3Error);
      expect((err as S3Error).status).toBe(416);
      expect((err as S3Error).headers['Content-Range']).toBe(`bytes */${size}`);
    }
  });

  it('formats Content-Range with an inclusive end', () => {
    expect(contentRange({ start: 2, end: 6 }, 10)).toBe('bytes 2-5/10');
  });
});
