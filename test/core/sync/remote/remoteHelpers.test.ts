// The small rules behind both stores: part planning, metadata and tag checks, the upload identity, bounded concurrency, progress.
import { describe, expect, it } from 'vitest';
import { forEachLimited } from '../../../../main/core/sync/remote/limitConcurrency.js';
import { checkTags, encodeTagging, normaliseMetadata } from '../../../../main/core/sync/remote/objectAttributes.js';
import { RemoteError } from '../../../../main/core/sync/remote/objectStore.js';
import { choosePartSize, MAX_PARTS, partRanges } from '../../../../main/core/sync/remote/partPlan.js';
import { ProgressCounter } from '../../../../main/core/sync/remote/progress.js';
import { uploadIdentity } from '../../../../main/core/sync/remote/uploadIdentity.js';

const MIB = 1024 * 1024;

function refusal(fn: () => unknown): RemoteError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RemoteError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('part planning', () => {
  it('keeps the preferred size while the file fits in 10,000 parts, then grows it in whole MiB', () => {
    expect(choosePartSize(100 * MIB, 16 * MIB)).toBe(16 * MIB);
    expect(choosePartSize(16 * MIB * MAX_PARTS, 16 * MIB)).toBe(16 * MIB);
    const huge = 16 * MIB * MAX_PARTS + 1;
    expect(choosePartSize(huge, 16 * MIB)).toBe(17 * MIB);
    expect(Math.ceil(huge / choosePartSize(huge, 16 * MIB))).toBeLessThanOrEqual(MAX_PARTS);
  });

  it('covers the file with consecutive ranges, the last one short; an empty file is one empty part', () => {
    expect(partRanges(10, 4)).toEqual([
      { partNumber: 1, start: 0, size: 4 },
      { partNumber: 2, start: 4, size: 4 },
      { partNumber: 3, start: 8, size: 2 },
    ]);
    expect(partRanges(8, 4).map((r) => r.size)).toEqual([4, 4]);
    expect(partRanges(0, 4)).toEqual([{ partNumber: 1, start: 0, size: 0 }]);
    expect(() => partRanges(10, 0)).toThrow(RangeError);
  });
});

describe('metadata and tags', () => {
  it('lower-cases metadata names and refuses what would not survive the header round trip', () => {
    expect(normaliseMetadata({ 'Coffer-SHA256': 'ab', mtime: '1' })).toEqual({ 'coffer-sha256': 'ab', mtime: '1' });
    expect(refusal(() => normaliseMetadata({ 'bad name': 'x' })).code).toBe('InvalidArgument');
    expect(refusal(() => normaliseMetadata({ n: 'caf\u00e9' })).code).toBe('InvalidArgument');
    expect(refusal(() => normaliseMetadata({ n: ' padded' })).code).toBe('InvalidArgument');
    expect(refusal(() => normaliseMetadata({ A: '1', a: '2' })).code).toBe('InvalidArgument');
    expect(refusal(() => normaliseMetadata({ n: 'x'.repeat(2048) })).code).toBe('MetadataTooLarge');
    expect(() => normaliseMetadata({ n: 'x'.repeat(2047) })).not.toThrow();
  });

  it('accepts S3 tag sets and refuses too many, reserved, long or badly spelled tags, all as skip', () => {
    expect(checkTags({ 'a b': 'c+d=e.f_g:h/i@j', ünï: 'cödé' })).toEqual({ 'a b': 'c+d=e.f_g:h/i@j', ünï: 'cödé' });
    const cases = [
      Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, ''])),
      { 'aws:reserved': 'x' },
      { '': 'x' },
      { ['k'.repeat(129)]: 'x' },
      { k: 'v'.repeat(257) },
      { 'k&': 'x' },
    ];
    for (const tags of cases) expect(refusal(() => checkTags(tags))).toMatchObject({ errorClass: 'skip', code: 'InvalidTag' });
  });

  it('encodes tags as a URL query with every key and value percent-encoded', () => {
    expect(encodeTagging({ 'a b': 'c/d', 'x=y': 'é&' })).toBe('a%20b=c%2Fd&x%3Dy=%C3%A9%26');
    expect(new URLSearchParams(encodeTagging({ 'a b': 'c+d' })).get('a b')).toBe('c+d');
  });
});

describe('uploadIdentity', () => {
  const base = { encryption: { mode: 'sse-s3' as const }, metadata: { a: '1' }, tags: {} };
  it('keeps the fingerprint readable and changes with any setting, in any key order', () => {
    const id = uploadIdentity('sha-1', base);
    expect(id).toMatch(/^sha-1#[0-9a-f]{32}$/);
    expect(uploadIdentity('sha-1', { ...base })).toBe(id);
    expect(uploadIdentity('sha-2', base)).not.toBe(id);
    expect(uploadIdentity('sha-1', { ...base, metadata: { a: '2' } })).not.toBe(id);
    expect(uploadIdentity('sha-1', { ...base, tags: { t: 'x' } })).not.toBe(id);
    expect(uploadIdentity('sha-1', { ...base, encryption: { mode: 'sse-kms' } })).not.toBe(id);
    expect(uploadIdentity('sha-1', { ...base, metadata: { b: '2', a: '1' } })).toBe(uploadIdentity('sha-1', { ...base, metadata: { a: '1', b: '2' } }));
  });

  it('tells SSE-C keys apart without containing them', () => {
    const keyA = Buffer.alloc(32, 1);
    const keyB = Buffer.alloc(32, 2);
    const a = uploadIdentity('f', { ...base, encryption: { mode: 'sse-c', key: keyA } });
    expect(uploadIdentity('f', { ...base, encryption: { mode: 'sse-c', key: keyB } })).not.toBe(a);
    for (const encoding of ['hex', 'base64'] as const) expect(a).not.toContain(keyA.toString(encoding).slice(0, 12));
  });
});

describe('forEachLimited', () => {
  it('never runs more than the limit at once and visits every item', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(n);
      running--;
    });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('starts nothing new after a failure, waits for the running ones, and throws the first error', async () => {
    const started: number[] = [];
    const told: unknown[] = [];
    const first = new Error('first');
    let finishedAfterFailure = false;
    await expect(
      forEachLimited([1, 2, 3, 4], 2, async (n) => {
        started.push(n);
        if (n === 1) throw first;
        await new Promise((resolve) => setImmediate(resolve));
        if (n === 2) {
          finishedAfterFailure = true;
          throw new Error('second');
        }
      }, (err) => told.push(err)),
    ).rejects.toBe(first);
    expect(started).toEqual([1, 2]);
    expect(finishedAfterFailure).toBe(true);
    expect(told).toEqual([first]);
    await expect(forEachLimited([1], 0, async () => undefined)).rejects.toThrow(RangeError);
  });
});

describe('ProgressCounter', () => {
  it('reports rising totals only, starts from bytes already in place, and ends at the size', () => {
    const reports: number[] = [];
    const progress = new ProgressCounter((n) => reports.push(n), 10);
    progress.add(0);
    progress.add(5);
    progress.finish(15);
    progress.finish(20);
    expect(reports).toEqual([10, 15, 20]);
    const empty: number[] = [];
    new ProgressCounter((n) => empty.push(n)).finish(0);
    expect(empty).toEqual([0]);
  });
});
