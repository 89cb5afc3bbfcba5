import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileIgnoreLine, ignoreLineProblem } from '../../../main/core/sync/ignorePattern.js';
import { compileIgnoreRules, DEFAULT_IGNORE_PATTERNS } from '../../../main/core/sync/ignoreRules.js';

interface Row {
  readonly rules: string;
  readonly path: string;
  readonly dir: boolean;
  readonly ignored: boolean;
  readonly caseInsensitive?: boolean;
}

const row = (rules: string, path: string, kind: 'file' | 'dir', ignored: boolean, caseInsensitive = false): Row => ({
  rules,
  path,
  dir: kind === 'dir',
  ignored,
  caseInsensitive,
});

// Known gitignore semantics (the examples of git's own documentation among them). Every row is also
// checked against `git check-ignore` below, so the table itself cannot drift from git.
const GITIGNORE_TABLE: readonly Row[] = [
  row('hello.*', 'hello.txt', 'file', true),
  row('hello.*', 'a/hello.c', 'file', true),
  row('hello.*', 'hello', 'file', false),
  row('hello.*', 'ahello.txt', 'file', false),
  row('doc/frotz/', 'doc/frotz', 'dir', true),
  row('doc/frotz/', 'doc/frotz', 'file', false),
  row('doc/frotz/', 'a/doc/frotz', 'dir', false),
  row('doc/frotz/', 'doc/frotz/x.txt', 'file', true),
  row('frotz/', 'frotz', 'dir', true),
  row('frotz/', 'a/frotz', 'dir', true),
  row('frotz/', 'a/frotz', 'file', false),
  row('frotz/', 'a/frotz/b', 'file', true),
  row('/bin', 'bin', 'file', true),
  row('/bin', 'bin', 'dir', true),
  row('/bin', 'src/bin', 'file', false),
  row('bin', 'src/bin', 'file', true),
  row('bin', 'src/bin/tool', 'file', true),
  row('foo/*', 'foo/test.json', 'file', true),
  row('foo/*', 'foo/bar', 'dir', true),
  row('foo/*', 'foo/bar/hello.c', 'file', true),
  row('foo/*', 'foo', 'dir', false),
  row('foo/*', 'a/foo/x', 'file', false),
  row('doc/*.txt', 'doc/a.txt', 'file', true),
  row('doc/*.txt', 'x/doc/a.txt', 'file', false),
  row('doc/*.txt', 'doc/sub/a.txt', 'file', false),
  row('/*.c', 'a.c', 'file', true),
  row('/*.c', 'd/a.c', 'file', false),
  row('**/foo', 'foo', 'file', true),
  row('**/foo', 'a/b/foo', 'file', true),
  row('**/foo', 'a/foo/x', 'file', true),
  row('**/foo/bar', 'foo/bar', 'file', true),
  row('**/foo/bar', 'x/y/foo/bar', 'file', true),
  row('**/foo/bar', 'foo/x/bar', 'file', false),
  row('abc/**', 'abc', 'dir', false),
  row('abc/**', 'abc/x', 'file', true),
  row('abc/**', 'abc/x/y', 'file', true),
  row('abc/**', 'xabc/x', 'file', false),
  row('a/**/b', 'a/b', 'file', true),
  row('a/**/b', 'a/x/b', 'file', true),
  row('a/**/b', 'a/x/y/b', 'file', true),
  row('a/**/b', 'a/xb', 'file', false),
  row('a/**/b', 'b', 'file', false),
  row('**', 'anything', 'file', true),
  row('**', 'a/b', 'file', true),
  row('foo**bar', 'fooxbar', 'file', true),
  row('foo**bar', 'foo/bar', 'file', false),
  row('*.log\n!important.log', 'x.log', 'file', true),
  row('*.log\n!important.log', 'important.log', 'file', false),
  row('*.log\n!important.log', 'd/important.log', 'file', false),
  row('!important.log\n*.log', 'important.log', 'file', true),
  row('/*\n!/foo\n/foo/*\n!/foo/bar', 'foo', 'dir', false),
  row('/*\n!/foo\n/foo/*\n!/foo/bar', 'foo/bar', 'dir', false),
  row('/*\n!/foo\n/foo/*\n!/foo/bar', 'foo/bar/x', 'file', false),
  row('/*\n!/foo\n/foo/*\n!/foo/bar', 'foo/baz', 'file', true),
  row('/*\n!/foo\n/foo/*\n!/foo/bar', 'other', 'file', true),
  row('build/\n!build/keep.txt', 'build/keep.txt', 'file', true),
  row('\\#notes\n#comment', '#notes', 'file', true),
  row('\\#notes\n#comment', 'comment', 'file', false),
  row('\\#notes\n#comment', '#comment', 'file', false),
  row('\\!bang', '!bang', 'file', true),
  row('\\!bang', 'bang', 'file', false),
  row('trail   ', 'trail', 'file', true),
  row('trail   ', 'trail ', 'file', false),
  row('space\\ ', 'space ', 'file', true),
  row('space\\ ', 'space', 'file', false),
  row('?.txt', 'a.txt', 'file', true),
  row('?.txt', 'ab.txt', 'file', false),
  row('?.txt', '.txt', 'file', false),
  row('?.txt', 'd/a.txt', 'file', true),
  row('x/a?b', 'x/a/b', 'file', false),
  row('x/a*b', 'x/a/b', 'file', false),
  row('*', '.hidden', 'file', true),
  row('[abc].md', 'a.md', 'file', true),
  row('[abc].md', 'd.md', 'file', false),
  row('[!abc].md', 'd.md', 'file', true),
  row('[!abc].md', 'a.md', 'file', false),
  row('[^a]z', 'bz', 'file', true),
  row('[^a]z', 'az', 'file', false),
  row('[a-c]x', 'bx', 'file', true),
  row('[a-c]x', 'dx', 'file', false),
  row('[]x]y', ']y', 'file', true),
  row('[]x]y', 'xy', 'file', true),
  row('[a\\-]q', '-q', 'file', true),
  row('[[:digit:]]*.png', '1.png', 'file', true),
  row('[[:digit:]]*.png', 'x.png', 'file', false),
  row('[[:upper:]].txt', 'Q.txt', 'file', true),
  row('[[:upper:]].txt', 'q.txt', 'file', false),
  row('x[', 'x[', 'file', false),
  row('[z-a]x', 'bx', 'file', false),
  row('[[:nope:]]x', 'ax', 'file', false),
  row('[a-]z', '-z', 'file', true),
  row('[\\]]z', ']z', 'file', true),
  row('a//b', 'a/b', 'file', false),
  row('*.txt/', 'notes.txt', 'dir', true),
  row('*.txt/', 'notes.txt', 'file', false),
  row('a\\', 'a', 'file', false),
  row('\\*star', '*star', 'file', true),
  row('\\*star', 'xstar', 'file', false),
  row('README.md', 'readme.md', 'file', false),
  row('README.md', 'readme.md', 'file', true, true),
  row('Build/', 'build/out.o', 'file', true, true),
  row('# only a comment\n\n   \n', 'anything', 'file', false),
  row('/', 'x', 'file', false),
  row('!', 'x', 'file', false),
];

function ignored(r: Row): boolean {
  return compileIgnoreRules(r.rules, { caseInsensitive: r.caseInsensitive ?? false, defaults: false }).ignores(r.path, r.dir);
}

describe('compileIgnoreRules: gitignore semantics', () => {
  it.each(GITIGNORE_TABLE.map((r) => [JSON.stringify(r.rules), r.path, r.dir ? 'dir' : 'file', r.ignored, r] as const))(
    'rules %s, %s (%s) → ignored %s',
    (_rules, _path, _kind, expected, r) => {
      expect(ignored(r)).toBe(expected);
    },
  );

  const git = spawnSync('git', ['--version'], { encoding: 'utf8' });
  it.skipIf(git.status !== 0)('agrees with git check-ignore on every row of the table', () => {
    const root = mkdtempSync(join(tmpdir(), 'coffer-ignore-'));
    try {
      for (const caseInsensitive of [false, true]) {
        const rows = GITIGNORE_TABLE.filter((r) => (r.caseInsensitive ?? false) === caseInsensitive);
        const verdicts = gitVerdicts(join(root, caseInsensitive ? 'folded' : 'exact'), rows, caseInsensitive);
        rows.forEach((r, i) => {
          expect({ rules: r.rules, path: r.path, dir: r.dir, ignored: verdicts[i] }).toEqual({ rules: r.rules, path: r.path, dir: r.dir, ignored: r.ignored });
        });
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/**
 * Asks git which rows' paths it ignores. Row i lives in folder `i/` of one repository with its
 * rules in `i/.gitignore` (patterns are relative to their file's folder, so they mean the same as at
 * a root), and its path really exists as a file or a directory (git looks at the disk to tell).
 */
function gitVerdicts(repo: string, rows: readonly Row[], caseInsensitive: boolean): boolean[] {
  const env = { PATH: process.env.PATH ?? '', GIT_CONFIG_NOSYSTEM: '1', HOME: repo };
  mkdirSync(repo);
  expect(spawnSync('git', ['init', '-q', repo], { env }).status).toBe(0);
  const queried = rows.map((r, i) => {
    mkdirSync(join(repo, String(i)));
    writeFileSync(join(repo, String(i), '.gitignore'), r.rules);
    const target = join(repo, String(i), ...r.path.split('/'));
    mkdirSync(r.dir ? target : dirname(target), { recursive: true });
    if (!r.dir) writeFileSync(target, '');
    return `${i}/${r.path}`;
  });
  const result = spawnSync('git', ['-c', `core.ignorecase=${caseInsensitive}`, 'check-ignore', '--no-index', '-z', '--stdin'], {
    cwd: repo,
    env,
    input: queried.join('\u0000') + '\u0000',
    encoding: 'utf8',
  });
  // Exit 0: some path is ignored; 1: none is; anything else is a failure of the check itself.
  expect([0, 1], result.stderr).toContain(result.status);
  const ignored = new Set(result.stdout.split('\u0000'));
  return queried.map((path) => ignored.has(path));
}

describe('compileIgnoreRules: defaults and Coffer names', () => {
  const matcher = compileIgnoreRules('', { caseInsensitive: false });

  it.each([
    ['.notes.txt.swp', true],
    ['src/.main.ts.swo', true],
    ['draft.txt~', true],
    ['.#draft.txt', true],
    ['.~lock.report.odt#', true],
    ['~$report.docx', true],
    ['.DS_Store', true],
    ['photos/.DS_Store', true],
    ['Thumbs.db', true],
    ['desktop.ini', true],
    ['build.tmp', true],
    ['video.mp4.crdownload', true],
    ['video.mp4.part', true],
    ['.coffer-tmp-8f3a', true],
    ['a/b/.coffer-tmp-1', true],
    ['.coffer-trash/2024-05-01/notes.txt', true],
    ['report.docx', false],
    ['partition.txt', false],
    ['notes.md', false],
    ['.cofferignore', false],
  ])('%s → ignored %s', (path, expected) => {
    expect(matcher.ignores(path, false)).toBe(expected);
  });

  it('ignores the trash directory itself and anything under it', () => {
    expect(matcher.ignores('.coffer-trash', true)).toBe(true);
    expect(matcher.ignores('sub/.coffer-trash', true)).toBe(true);
  });

  it('lets the file re-include a default, but never Coffer’s own names', () => {
    const custom = compileIgnoreRules('!*.tmp\n!.coffer-tmp-*\n!.coffer-trash', { caseInsensitive: false });
    expect(custom.ignores('build.tmp', false)).toBe(false);
    expect(custom.ignores('.coffer-tmp-1', false)).toBe(true);
    expect(custom.ignores('.coffer-trash/x', false)).toBe(true);
  });

  it('can leave the defaults out', () => {
    expect(compileIgnoreRules('', { caseInsensitive: false, defaults: false }).ignores('x.swp', false)).toBe(false);
    expect(DEFAULT_IGNORE_PATTERNS).toContain('*.swp');
  });

  it('reads CRLF files with a byte-order mark', () => {
    const custom = compileIgnoreRules('\uFEFF*.bak\r\nlogs/\r\n', { caseInsensitive: false, defaults: false });
    expect(custom.ignores('a.bak', false)).toBe(true);
    expect(custom.ignores('logs/today', false)).toBe(true);
    expect(custom.ignores('a.bak\r', false)).toBe(false);
  });

  it('matches NFC and NFD spellings of one name alike', () => {
    const nfc = 'caf\u00e9';
    const nfd = 'cafe\u0301';
    expect(compileIgnoreRules(nfc, { caseInsensitive: false, defaults: false }).ignores(`menu/${nfd}`, false)).toBe(true);
    expect(compileIgnoreRules(nfd, { caseInsensitive: false, defaults: false }).ignores(nfc, false)).toBe(true);
  });

  it('gives the same answer for a file after its directory verdict was cached', () => {
    const custom = compileIgnoreRules('cache/', { caseInsensitive: false, defaults: false });
    expect(custom.ignores('a/cache', true)).toBe(true);
    expect(custom.ignores('a/cache/x', false)).toBe(true);
    expect(custom.ignores('a/cached', false)).toBe(false);
  });

  it('passes around as a plain function', () => {
    const { ignores } = compileIgnoreRules('*.o', { caseInsensitive: false, defaults: false });
    expect(['a.o', 'a.c'].filter((p) => ignores(p, false))).toEqual(['a.o']);
  });
});

describe('compileIgnoreLine', () => {
  it.each([
    ['', undefined],
    ['# comment', undefined],
    ['[z-a]', undefined],
    ['[[:nope:]]', undefined],
    ['a//b', undefined],
    ['x[', undefined],
  ])('%j compiles to nothing', (line, expected) => {
    expect(compileIgnoreLine(line, false)).toBe(expected);
  });

  it('records negation, directory-only and anchoring', () => {
    expect(compileIgnoreLine('!/logs/', false)).toMatchObject({ negated: true, directoryOnly: true, anchored: true });
    expect(compileIgnoreLine('logs', false)).toMatchObject({ negated: false, directoryOnly: false, anchored: false });
    expect(compileIgnoreLine('a/b', false)).toMatchObject({ anchored: true });
  });

  it('matches a newline inside a name and an astral character with one ?', () => {
    expect(compileIgnoreLine('a*b', false)!.regex.test('a\nb')).toBe(true);
    expect(compileIgnoreLine('?.txt', false)!.regex.test('\u{1F600}.txt')).toBe(true);
  });
});

describe('ignoreLineProblem', () => {
  it('says why a line matches nothing, and nothing for good lines, blank lines and comments', () => {
    for (const fine of ['*.log', 'build/', '!keep.log', '\\#literal', '', '   ', '# a comment', 'a/**/b', '[a-z]*', '[[:digit:]]x']) {
      expect(ignoreLineProblem(fine), fine).toBeUndefined();
    }
    expect(ignoreLineProblem('report[0-9.txt')).toBe("a '[' is never closed");
    expect(ignoreLineProblem('[z-a]*')).toBe('the range z-a is out of order');
    expect(ignoreLineProblem('[[:letter:]]*')).toBe('[:letter:] is not a character class');
    expect(ignoreLineProblem('ends-with\\')).toMatch(/^it ends with a lone/);
    expect(ignoreLineProblem('docs//draft')).toMatch(/^it has an empty path part/);
    for (const empty of ['!', '/', '!/']) expect(ignoreLineProblem(empty), empty).toMatch(/^the pattern is empty/);
  });

  it('agrees with compileIgnoreLine: a line has a problem exactly when it is not blank or a comment and compiles to nothing', () => {
    for (const line of ['*.log', '[z-a]', '[[:nope:]]', 'x\\', 'a//b', '!', '', '# c', 'ok/', '[!a-c]?']) {
      const blankOrComment = line.trim() === '' || line.startsWith('#');
      expect(ignoreLineProblem(line) !== undefined, line).toBe(!blankOrComment && compileIgnoreLine(line, false) === undefined);
    }
  });
});
