import { describe, expect, it } from 'vitest';
import {
  ancestorsOf,
  assertRelativePath,
  baseNameOf,
  comparePaths,
  InvalidPathError,
  parentOf,
  pathKey,
  pathSortKey,
  relativePathProblem,
  remoteKeyOf,
  sortByPath,
} from '../../../main/core/sync/pathKey.js';

const NFC = 'caf\u00e9/r\u00e9sum\u00e9.txt';
const NFD = 'cafe\u0301/re\u0301sume\u0301.txt';

describe('pathKey', () => {
  it.each([
    ['an NFD name meets its NFC twin', NFD, false, NFC],
    ['case is kept on a case-sensitive disk', 'Docs/README.md', false, 'Docs/README.md'],
    ['case folds on a case-insensitive disk', 'Docs/README.md', true, 'docs/readme.md'],
    ['NFD and case fold together', 'CAFE\u0301.TXT', true, 'caf\u00e9.txt'],
    ['non-Latin capitals fold', '\u0393\u03b5\u03b9\u03ac.txt', true, '\u03b3\u03b5\u03b9\u03ac.txt'],
  ])('%s', (_case, path, caseInsensitive, key) => {
    expect(pathKey(path, caseInsensitive)).toBe(key);
  });

  it('keeps different names apart', () => {
    expect(pathKey('a.txt', true)).not.toBe(pathKey('b.txt', true));
    expect(pathKey('A.txt', false)).not.toBe(pathKey('a.txt', false));
  });

  it('gives remoteKeyOf the NFC form with case kept', () => {
    expect(remoteKeyOf(NFD)).toBe(NFC);
    expect(remoteKeyOf('Docs/README.md')).toBe('Docs/README.md');
  });
});

describe('comparePaths', () => {
  it('sorts in UTF-8 byte order, which puts astral characters after U+E000..U+FFFF', () => {
    const astral = '\u{1F600}.txt';
    const privateUse = '\uE000.txt';
    const paths = [astral, privateUse, 'b', 'a/b', 'a', 'a-b', 'A'];
    expect([...paths].sort(comparePaths)).toEqual(['A', 'a', 'a-b', 'a/b', 'b', privateUse, astral]);
    const byBytes = [...paths].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...paths].sort(comparePaths)).toEqual(byBytes);
  });

  it('agrees with sortByPath and pathSortKey, which sort by decorating once', () => {
    const paths = ['\u{1F600}', '\uFFFD', '\uE000/x', 'z', '\u00e9', '\u{10000}a', '\u{10000}', 'a\u{1F600}', 'a\uE000'];
    const byBytes = [...paths].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(sortByPath([...paths], (p) => p)).toEqual(byBytes);
    expect([...paths].sort(comparePaths)).toEqual(byBytes);
    expect(pathSortKey('plain/ascii.txt')).toBe('plain/ascii.txt');
  });

  it('returns 0 only for equal strings', () => {
    expect(comparePaths('x', 'x')).toBe(0);
    expect(comparePaths('x', 'xy')).toBeLessThan(0);
  });
});

describe('parentOf / ancestorsOf / baseNameOf', () => {
  it.each([
    ['a/b/c.txt', 'a/b', ['a', 'a/b'], 'c.txt'],
    ['top.txt', '', [], 'top.txt'],
  ])('%s', (path, parent, ancestors, name) => {
    expect(parentOf(path)).toBe(parent);
    expect(ancestorsOf(path)).toEqual(ancestors);
    expect(baseNameOf(path)).toBe(name);
  });
});

describe('relativePathProblem', () => {
  it.each([
    ['docs/a.txt', 'local', undefined],
    ['docs/a.txt', 'remote', undefined],
    ['.hidden/..dots../x', 'remote', undefined],
    ['', 'local', 'empty'],
    ['/etc/passwd', 'remote', 'absolute'],
    ['photos/', 'remote', 'trailing-slash'],
    ['a//b', 'remote', 'empty-segment'],
    ['.', 'local', 'dot-segment'],
    ['..', 'remote', 'dot-segment'],
    ['a/../../b', 'remote', 'dot-segment'],
    ['a/./b', 'local', 'dot-segment'],
    ['a\u0000b', 'local', 'nul'],
    ['..\\..\\windows\\system.ini', 'remote', 'backslash'],
    ['back\\slash.txt', 'local', undefined],
    ['C:evil.txt', 'remote', 'drive-letter'],
    ['c:/x', 'remote', 'drive-letter'],
    ['notes:v2.txt', 'remote', undefined],
  ] as const)('%j from %s → %s', (path, origin, problem) => {
    expect(relativePathProblem(path, origin)).toBe(problem);
  });

  it('assertRelativePath throws InvalidPathError naming the problem', () => {
    expect(() => assertRelativePath('a/../b', 'remote')).toThrow(InvalidPathError);
    let thrown: unknown;
    try {
      assertRelativePath('../x', 'remote');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: 'InvalidPathError', problem: 'dot-segment', path: '../x' });
    expect(() => assertRelativePath('ok/x', 'remote')).not.toThrow();
  });
});
