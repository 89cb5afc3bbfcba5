// The aws-chunked parser: any split of the input gives the same events, data comes out as views of the input, bad framing fails like S3.
import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { AwsChunkedDecoder } from '../../../../main/core/store/auth/index.js';
import { S3Error } from '../../../../main/core/store/errors.js';
import { encodeUnsignedChunks, randomSplit, rng } from './chunkedBodies.js';

interface Parsed {
  data: Buffer;
  slices: Buffer[];
  chunks: Array<[number, string | undefined]>;
  ends: number;
  trailers: Array<[string, string]>;
  done: boolean;
}

function parse(pieces: readonly Buffer[], signed = false, finish = true): Parsed {
  const slices: Buffer[] = [];
  const result: Parsed = { data: Buffer.alloc(0), slices, chunks: [], ends: 0, trailers: [], done: false };
  const decoder = new AwsChunkedDecoder(signed, {
    chunkStart: (size, signature) => result.chunks.push([size, signature]),
    data: (slice) => slices.push(slice),
    chunkEnd: () => result.ends++,
    trailer: (name, value) => result.trailers.push([name, value]),
  });
  for (const piece of pieces) decoder.write(piece);
  if (finish) decoder.end();
  result.done = decoder.done;
  result.data = Buffer.concat(slices);
  return result;
}

function failure(body: string | Buffer, signed = false): S3Error {
  try {
    parse([Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1')], signed);
  } catch (err) {
    if (err instanceof S3Error) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

const SIG = 'a'.repeat(64);

describe('AwsChunkedDecoder', () => {
  it('gives the same result for every split, down to single bytes, and never copies data', () => {
    const data = randomBytes(100_000);
    const body = encodeUnsignedChunks(data, 8192, { 'x-amz-checksum-crc32': 'AAAAAA==' });
    const random = rng(7);
    const splits = [[body], randomSplit(body, random, 1), ...Array.from({ length: 30 }, () => randomSplit(body, random, 20_000))];
    for (const pieces of splits) {
      const parsed = parse(pieces);
      expect(parsed.data.equals(data)).toBe(true);
      expect(parsed.chunks.map(([size]) => size)).toEqual([...Array(12).fill(8192), 100_000 - 12 * 8192, 0]);
      expect(parsed.ends).toBe(14);
      expect(parsed.trailers).toEqual([['x-amz-checksum-crc32', 'AAAAAA==']]);
      expect(parsed.done).toBe(true);
      for (const slice of parsed.slices) expect(slice.buffer).toBe(body.buffer);
    }
  });

  it('reads chunk signatures, upper-case sizes and trimmed, lower-cased trailers', () => {
    const body = `A;chunk-signature=${SIG}\r\n0123456789\r\n0;chunk-signature=${SIG}\r\nX-Amz-Checksum-CRC32 : abc= \r\nx-amz-trailer-signature:${SIG}\r\n\r\n`;
    const parsed = parse([Buffer.from(body)], true);
    expect(parsed.chunks).toEqual([[10, SIG], [0, SIG]]);
    expect(parsed.trailers).toEqual([['x-amz-checksum-crc32', 'abc='], ['x-amz-trailer-signature', SIG]]);
  });

  it('accepts a body that ends right after the final chunk, as the JavaScript SDK sends without a checksum', () => {
    expect(parse([Buffer.from('3\r\nabc\r\n0\r\n')]).data.toString()).toBe('abc');
    expect(parse([Buffer.from('0\r\n\r\n')]).done).toBe(true);
  });

  it('reports IncompleteBody for every framing fault', () => {
    const faults = [
      '',
      '3\r\nabc\r\n',
      '3\r\nab',
      '3\r\nabcX\r\n0\r\n\r\n',
      '3\r\nabc\n0\r\n\r\n',
      '3\nabc\r\n0\r\n\r\n',
      'zz\r\nabc\r\n0\r\n\r\n',
      '-3\r\nabc\r\n0\r\n\r\n',
      '3;ext=1\r\nabc\r\n0\r\n\r\n',
      '0\r\n\r\nextra',
      '0\r\nx-amz-checksum-crc32:AAAAAA==',
      `${'0'.repeat(5000)}\r\n`,
      `3;chunk-signature=${SIG}\r\nabc\r\n0;chunk-signature=${SIG}\r\n\r\n`, // signed framing where unsigned is expected
    ];
    for (const body of faults) {
      const err = failure(body);
      expect([body, err.code, err.message]).toEqual([body, 'IncompleteBody', 'The request body terminated unexpectedly']);
    }
    for (const body of ['3\r\nabc\r\n0\r\n\r\n', `3;chunk-signature=${'A'.repeat(64)}\r\nabc\r\n`, '3;chunk-signature=abc\r\nabc\r\n']) {
      expect(failure(body, true).code).toBe('IncompleteBody');
    }
  });

  it('reports MalformedTrailerError for a trailer line that is not name:value', () => {
    for (const body of ['0\r\nno-colon\r\n\r\n', '0\r\n:value\r\n\r\n', `0\r\n${'a:b\r\n'.repeat(17)}\r\n`]) {
      expect(failure(body).code).toBe('MalformedTrailerError');
    }
  });
});
