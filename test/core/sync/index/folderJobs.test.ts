// Job bookkeeping in the local index: begin, resume, restart with other parameters, finish, survive a reopen.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIndexFixture, type IndexFixture } from './indexFixture.js';

let fx: IndexFixture;
beforeEach(() => {
  fx = openIndexFixture();
});
afterEach(() => fx.cleanup());

describe('LocalIndex job progress', () => {
  it('resumes a job with the same parameters after a reopen, keeping its start and finished objects', () => {
    expect(fx.index.beginJob('f1', 'change-mode', '{"mode":"sse-kms"}')).toEqual({ startedAt: 1000, resumed: false });
    fx.index.markJobFinished('f1', 'change-mode', 'a.txt');
    fx.index.markJobFinished('f1', 'change-mode', 'a.txt');
    fx.index.markJobFinished('f1', 'change-mode', 'b/c.txt');
    fx.clock = 5000;
    const index = fx.reopen();
    expect(index.beginJob('f1', 'change-mode', '{"mode":"sse-kms"}')).toEqual({ startedAt: 1000, resumed: true });
    expect(index.jobFinished('f1', 'change-mode')).toEqual(new Set(['a.txt', 'b/c.txt']));
    expect(index.jobDetail('f1', 'change-mode')).toBe('{"mode":"sse-kms"}');
    expect(index.jobFinished('f2', 'change-mode')).toEqual(new Set());
  });

  it('starts over when the parameters differ, keeps jobs of other folders and kinds apart, and forgets a finished job', () => {
    fx.index.beginJob('f1', 'change-mode', 'to-kms');
    fx.index.markJobFinished('f1', 'change-mode', 'a.txt');
    fx.index.beginJob('f1', 'rekey', '{"olderThanDays":0}', 42);
    fx.index.beginJob('f2', 'change-mode', 'to-kms');
    fx.index.markJobFinished('f2', 'change-mode', 'z.txt');
    fx.clock = 2000;
    expect(fx.index.beginJob('f1', 'change-mode', 'to-vault')).toEqual({ startedAt: 2000, resumed: false });
    expect(fx.index.jobFinished('f1', 'change-mode')).toEqual(new Set());
    expect(fx.index.beginJob('f1', 'rekey', '{"olderThanDays":0}')).toEqual({ startedAt: 42, resumed: true });
    expect(fx.index.jobFinished('f2', 'change-mode')).toEqual(new Set(['z.txt']));
    fx.index.endJob('f2', 'change-mode');
    expect(fx.index.jobDetail('f2', 'change-mode')).toBeUndefined();
    expect(fx.index.jobFinished('f2', 'change-mode')).toEqual(new Set());
    expect(() => fx.index.markJobFinished('f3', 'rekey', 'x')).toThrow(/FOREIGN KEY/);
    fx.index.removeFolder('f1');
    expect(fx.index.jobDetail('f1', 'rekey')).toBeUndefined();
  });

  it('moves a base to the ETag a server-side copy produced only when it still records the old one', () => {
    fx.index.setBase('f1', { path: 'Cafe\u0301.txt', size: 3, sha256: 'aa', etag: '"old"', mtimeMs: 1 });
    expect(fx.index.replaceBaseEtag('f1', 'Caf\u00e9.txt', '"other"', '"new"')).toBe(false);
    expect(fx.index.replaceBaseEtag('f1', 'Caf\u00e9.txt', '"old"', '"new"')).toBe(true);
    expect(fx.index.baseEntries('f1')).toEqual([{ path: 'Cafe\u0301.txt', size: 3, sha256: 'aa', etag: '"new"', mtimeMs: 1 }]);
    expect(fx.index.replaceBaseEtag('f1', 'missing.txt', '"old"', '"new"')).toBe(false);
  });
});
