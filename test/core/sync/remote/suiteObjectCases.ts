// Conformance cases on objects: buckets, bytes, listing, missing objects, SSE-C refusals, copies, odd keys, tags, bad input.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ObjectEncryption } from '../../../../main/core/sync/remote/objectStore.js';
import { collect, type SuiteContext } from './objectStoreSuite.js';
import { expectRemoteError, patternBytes } from './remoteSupport.js';

const MIB5 = 5 * 1024 * 1024;

/** Registers these cases inside the suite's describe block. */
export function objectCases(ctx: SuiteContext): void {
  it('ensureBucket creates a missing bucket and accepts an existing one; a missing bucket is fatal NoSuchBucket', async () => {
    const bucket = ctx.newBucket();
    const store = ctx.target.openStore({ bucket });
    try {
      await expectRemoteError(collect(store.list()), 'fatal', 'NoSuchBucket');
      await store.ensureBucket();
      await store.ensureBucket();
      expect(await collect(store.list())).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('puts and gets bytes in every mode, with head, metadata and list agreeing on size and ETag', async () => {
    const store = await ctx.open();
    for (const [mode, encryption] of ctx.modes) {
      const body = patternBytes(1000 + mode.length, mode.length);
      const put = await store.putBytes(`bytes/${mode}`, body, { encryption, metadata: { 'Content-Origin': 'suite', mode } });
      expect(put.etag).toMatch(/^"[0-9a-f]{32}"$/);
      const got = await store.getBytes(`bytes/${mode}`, { encryption });
      expect(got?.body.equals(body)).toBe(true);
      expect(got?.head).toMatchObject({ key: `bytes/${mode}`, size: body.length, etag: put.etag, metadata: { 'content-origin': 'suite', mode } });
      const head = await store.head(`bytes/${mode}`, encryption);
      expect(head).toMatchObject({ size: body.length, etag: put.etag, metadata: { 'content-origin': 'suite', mode } });
      expect(head!.lastModifiedMs).toBeGreaterThan(0);
    }
    const listed = await collect(store.list('bytes/'));
    expect(listed.map((o) => o.key)).toEqual(['bytes/sse-c', 'bytes/sse-kms', 'bytes/sse-s3']);
    for (const o of listed) expect(o.etag).toBe((await store.head(o.key, o.key.endsWith('sse-c') ? ctx.modes[2]![1] : undefined))!.etag);
  });

  it('sends a known SHA-256 as the checksum: a body that is not that content is refused (BadDigest, retriable) and nothing is stored', async () => {
    const store = await ctx.open();
    const body = patternBytes(4096, 9);
    const file = ctx.dir.file('checksummed', body);
    const right = createHash('sha256').update(body).digest('hex');
    const put = await store.putFile('checksummed', file, { encryption: { mode: 'sse-s3' }, fingerprint: right, sha256: right });
    expect(put.etag).toMatch(/^"[0-9a-f]{32}"$/);
    const wrong = createHash('sha256').update('something else').digest('hex');
    await expectRemoteError(store.putFile('refused', file, { encryption: { mode: 'sse-s3' }, fingerprint: wrong, sha256: wrong }), 'retriable', 'BadDigest');
    expect(await store.head('refused')).toBeUndefined();
  });

  it('lists more than one page (1,005 keys) in key order, relative to its prefix, and nothing of a sibling prefix', async () => {
    const bucket = ctx.newBucket();
    const store = await ctx.open({ bucket, prefix: 'device-a' });
    const sibling = await ctx.open({ bucket, prefix: 'device-a-old/' });
    await sibling.putBytes('stray', Buffer.from('x'), { encryption: { mode: 'sse-s3' } });
    const keys = Array.from({ length: 1005 }, (_, i) => `k/${String(i).padStart(4, '0')}`);
    for (let i = 0; i < keys.length; i += 25) {
      await Promise.all(keys.slice(i, i + 25).map((k) => store.putBytes(k, Buffer.from(k), { encryption: { mode: 'sse-s3' } })));
    }
    await store.putBytes('other/one', Buffer.from('1'), { encryption: { mode: 'sse-s3' } });
    const all = await collect(store.list());
    expect(all.map((o) => o.key)).toEqual([...keys, 'other/one']);
    expect(all.every((o) => o.size === o.key.length || o.key === 'other/one')).toBe(true);
    expect((await collect(store.list('other/'))).map((o) => o.key)).toEqual(['other/one']);
    expect((await collect(sibling.list())).map((o) => o.key)).toEqual(['stray']);
  });

  it('answers missing objects with undefined, NoSuchKey (skip) on getFile, and deletes idempotently', async () => {
    const store = await ctx.open();
    expect(await store.head('nothing')).toBeUndefined();
    expect(await store.getBytes('nothing')).toBeUndefined();
    expect(await store.getTags('nothing')).toBeUndefined();
    await expectRemoteError(store.getFile('nothing', join(ctx.dir.path, 'nothing')), 'skip', 'NoSuchKey');
    await store.putBytes('gone', Buffer.from('soon'), { encryption: { mode: 'sse-s3' } });
    await store.delete('gone');
    await store.delete('gone');
    await store.delete('never-was');
    expect(await store.head('gone')).toBeUndefined();
  });

  it('refuses an SSE-C object to a wrong key (AccessDenied) or none (InvalidRequest), and a key on a non-SSE-C object, all as skip', async () => {
    const store = await ctx.open();
    await store.putBytes('secret', Buffer.from('sealed'), { encryption: { mode: 'sse-c', key: ctx.keyA } });
    await store.putBytes('plain', Buffer.from('open'), { encryption: { mode: 'sse-s3' } });
    const wrong: ObjectEncryption = { mode: 'sse-c', key: ctx.keyB };
    await expectRemoteError(store.getBytes('secret', { encryption: wrong }), 'skip', 'AccessDenied');
    await expectRemoteError(store.head('secret', wrong), 'skip', 'AccessDenied');
    await expectRemoteError(store.getFile('secret', join(ctx.dir.path, 'wrong'), { encryption: wrong }), 'skip', 'AccessDenied');
    await expectRemoteError(store.getBytes('secret'), 'skip', 'InvalidRequest');
    await expectRemoteError(store.head('secret'), 'skip', 'InvalidRequest');
    await expectRemoteError(store.head('plain', { mode: 'sse-c', key: ctx.keyA }), 'skip', 'InvalidRequest');
    expect((await store.getBytes('plain', { encryption: { mode: 'sse-s3' } }))?.body.toString()).toBe('open');
  });

  it('copies through every mode change (sse-s3 → sse-kms → sse-c → another sse-c key), metadata copied or replaced', async () => {
    const store = await ctx.open();
    const body = patternBytes(70_000, 11);
    const first = await store.putBytes('doc', body, { encryption: { mode: 'sse-s3' }, metadata: { sha256: 'abc' } });
    const kms: ObjectEncryption = { mode: 'sse-kms', keyId: ctx.target.kmsKeyId };
    const toKms = await store.copy('doc', 'doc', { encryption: kms });
    const toA = await store.copy('doc', 'doc', { encryption: { mode: 'sse-c', key: ctx.keyA } });
    await expectRemoteError(store.copy('doc', 'doc', { sourceEncryption: { mode: 'sse-c', key: ctx.keyB }, encryption: { mode: 'sse-c', key: ctx.keyB } }), 'skip', 'AccessDenied');
    const toB = await store.copy('doc', 'doc', { sourceEncryption: { mode: 'sse-c', key: ctx.keyA }, encryption: { mode: 'sse-c', key: ctx.keyB } });
    expect(new Set([first.etag, toKms.etag, toA.etag, toB.etag]).size).toBe(4);
    await expectRemoteError(store.getBytes('doc', { encryption: { mode: 'sse-c', key: ctx.keyA } }), 'skip', 'AccessDenied');
    const now = await store.getBytes('doc', { encryption: { mode: 'sse-c', key: ctx.keyB } });
    expect(now?.body.equals(body)).toBe(true);
    expect(now?.head.metadata).toEqual({ sha256: 'abc' });
    const replaced = await store.copy('doc', 'renamed', { sourceEncryption: { mode: 'sse-c', key: ctx.keyB }, encryption: { mode: 'sse-s3' }, metadata: { sha256: 'def' } });
    const renamed = await store.getBytes('renamed');
    expect(renamed?.head).toMatchObject({ etag: replaced.etag, metadata: { sha256: 'def' } });
    expect(renamed?.body.equals(body)).toBe(true);
    await expectRemoteError(store.copy('missing', 'x', { encryption: { mode: 'sse-s3' } }), 'skip');
  });

  it('handles keys with spaces, unicode and URL-special characters in put, list, head, copy and delete', async () => {
    const store = await ctx.open({ prefix: 'my files' });
    const odd = 'dir with space/ünïcödé ✓ + %20 & ?.txt';
    await store.putBytes(odd, Buffer.from('odd'), { encryption: { mode: 'sse-c', key: ctx.keyA } });
    expect((await collect(store.list())).map((o) => o.key)).toEqual([odd]);
    await store.copy(odd, `${odd}.copy`, { sourceEncryption: { mode: 'sse-c', key: ctx.keyA }, encryption: { mode: 'sse-s3' } });
    expect((await store.getBytes(`${odd}.copy`))?.body.toString()).toBe('odd');
    expect((await store.head(odd, { mode: 'sse-c', key: ctx.keyA }))?.size).toBe(3);
    await store.delete(odd);
    expect((await collect(store.list())).map((o) => o.key)).toEqual([`${odd}.copy`]);
  });

  it('refuses bad input before any request: already aborted, a missing file, too many tags, oversized metadata', async () => {
    const store = await ctx.open();
    const file = ctx.dir.file('small', Buffer.from('small'));
    const aborted = new AbortController();
    aborted.abort();
    await expectRemoteError(store.putFile('a', file, { encryption: { mode: 'sse-s3' }, fingerprint: 'a', signal: aborted.signal }), 'skip', 'Aborted');
    await expectRemoteError(store.putFile('b', join(ctx.dir.path, 'no-such-file'), { encryption: { mode: 'sse-s3' }, fingerprint: 'b' }), 'skip', 'ENOENT');
    const tags = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`t${i}`, 'v']));
    await expectRemoteError(store.putBytes('c', Buffer.from('c'), { encryption: { mode: 'sse-s3' }, tags }), 'skip', 'InvalidTag');
    await expectRemoteError(store.putBytes('d', Buffer.from('d'), { encryption: { mode: 'sse-s3' }, metadata: { big: 'x'.repeat(2100) } }), 'skip', 'MetadataTooLarge');
    expect(await collect(store.list())).toEqual([]);
  });

  describe('tags', () => {
    it('stores tags with a put, reads them without the SSE-C key, copies or replaces them', async () => {
      const store = await ctx.open();
      const tags = { 'coffer-sha256': 'abc123', 'with space': 'a/b:c=d+e@f' };
      await store.putBytes('tagged', Buffer.from('t'), { encryption: { mode: 'sse-c', key: ctx.keyA }, tags });
      expect(await store.getTags('tagged')).toEqual(tags);
      await store.copy('tagged', 'copied', { sourceEncryption: { mode: 'sse-c', key: ctx.keyA }, encryption: { mode: 'sse-s3' } });
      expect(await store.getTags('copied')).toEqual(tags);
      await store.copy('copied', 'replaced', { encryption: { mode: 'sse-s3' }, tags: { only: 'this' } });
      expect(await store.getTags('replaced')).toEqual({ only: 'this' });
      const file = ctx.dir.file('tagged-big', patternBytes(MIB5 + 10, 3));
      const big = await ctx.open({ multipartThresholdBytes: MIB5, partSizeBytes: MIB5 });
      await big.putFile('mp', file, { encryption: { mode: 'sse-s3' }, fingerprint: 'mp', tags: { part: 'multi' } });
      expect(await big.getTags('mp')).toEqual({ part: 'multi' });
      await store.putBytes('untagged', Buffer.from('u'), { encryption: { mode: 'sse-s3' } });
      expect(await store.getTags('untagged')).toEqual({});
    });
  });
}
