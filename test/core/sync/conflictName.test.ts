import { describe, expect, it } from 'vitest';
import { conflictName, isConflictName, safeDeviceName } from '../../../main/core/sync/conflictName.js';

// Built from local-time parts, so the expected names hold in every time zone.
const WHEN = new Date(2024, 2, 5, 14, 7, 9);
const STAMP = '2024-03-05 140709';

describe('conflictName', () => {
  it.each([
    ['plan.txt', `plan (conflict ${STAMP} on laptop).txt`],
    ['notes/2024/plan.txt', `notes/2024/plan (conflict ${STAMP} on laptop).txt`],
    ['archive.tar.gz', `archive.tar (conflict ${STAMP} on laptop).gz`],
    ['Makefile', `Makefile (conflict ${STAMP} on laptop)`],
    ['.bashrc', `.bashrc (conflict ${STAMP} on laptop)`],
    ['cfg/.eslintrc.json', `cfg/.eslintrc (conflict ${STAMP} on laptop).json`],
    ['ends-with-dot.', `ends-with-dot. (conflict ${STAMP} on laptop)`],
    ['dir.d/file', `dir.d/file (conflict ${STAMP} on laptop)`],
  ])('%s → %s', (path, expected) => {
    expect(conflictName(path, WHEN, 'laptop')).toBe(expected);
  });

  it('pads every date and time field', () => {
    expect(conflictName('a.txt', new Date(2025, 0, 2, 3, 4, 5), 'pc')).toBe('a (conflict 2025-01-02 030405 on pc).txt');
  });

  it('counts up from 2 while a name is taken', () => {
    const taken = new Set([`plan (conflict ${STAMP} on laptop).txt`, `plan (conflict ${STAMP} on laptop) 2.txt`]);
    const asked: string[] = [];
    const name = conflictName('plan.txt', WHEN, 'laptop', (candidate) => {
      asked.push(candidate);
      return taken.has(candidate);
    });
    expect(name).toBe(`plan (conflict ${STAMP} on laptop) 3.txt`);
    expect(asked).toHaveLength(3);
  });

  it('gives up with RangeError when every candidate is taken, and on an invalid date', () => {
    expect(() => conflictName('a.txt', WHEN, 'pc', () => true)).toThrow(RangeError);
    expect(() => conflictName('a.txt', new Date(Number.NaN), 'pc')).toThrow(RangeError);
  });

  it('keeps the name within 255 UTF-8 bytes by shortening the original part, never mid-character', () => {
    const long = `${'\u00e9'.repeat(120)}\u{1F600}${'x'.repeat(30)}.txt`;
    const name = conflictName(`deep/${long}`, WHEN, 'laptop');
    const file = name.slice('deep/'.length);
    expect(Buffer.byteLength(file)).toBeLessThanOrEqual(255);
    expect(file.endsWith(` (conflict ${STAMP} on laptop).txt`)).toBe(true);
    expect(/\p{Cs}/u.test(file), 'no lone surrogate').toBe(false);
    const stem = file.slice(0, file.indexOf(' (conflict'));
    expect(long.startsWith(stem)).toBe(true);
    expect(stem.length).toBeGreaterThan(100);
    expect(isConflictName(name)).toBe(true);
  });
});

describe('safeDeviceName', () => {
  it.each([
    ['laptop', 'laptop'],
    ["Ann's MacBook Pro", "Ann's MacBook Pro"],
    ['a/b\\c:d*e?f"g<h>i|j', 'a_b_c_d_e_f_g_h_i_j'],
    ['desk (office)', 'desk _office_'],
    ['tabs\tand\nnewlines', 'tabs and newlines'],
    ['  padded  ', 'padded'],
    ['trailing dots...', 'trailing dots'],
    ['', 'unknown device'],
    ['...', 'unknown device'],
    ['x'.repeat(60), 'x'.repeat(40)],
    ['\u{1F600}'.repeat(45), '\u{1F600}'.repeat(40)],
  ])('%j → %j', (device, expected) => {
    expect(safeDeviceName(device)).toBe(expected);
  });

  it('is what conflictName writes', () => {
    expect(conflictName('a.txt', WHEN, 'home/pc:1')).toBe(`a (conflict ${STAMP} on home_pc_1).txt`);
  });
});

describe('isConflictName', () => {
  it.each([
    [`plan (conflict ${STAMP} on laptop).txt`, true],
    [`notes/plan (conflict ${STAMP} on laptop) 12.txt`, true],
    [`.bashrc (conflict ${STAMP} on laptop)`, true],
    [`Makefile (conflict ${STAMP} on my pc 2)`, true],
    ['plan.txt', false],
    ['plan (conflict).txt', false],
    [`plan (conflict ${STAMP} on laptop) extra.txt`, false],
    [`plan (conflict 2024-3-5 140709 on laptop).txt`, false],
    [`conflicts (conflict ${STAMP} on laptop)/plan.txt`, false],
  ])('%s → %s', (path, expected) => {
    expect(isConflictName(path)).toBe(expected);
  });

  it('recognises every name conflictName makes', () => {
    for (const path of ['a', 'a.b', '.a', 'x/y.z', 'ends.', 'x.y/z']) {
      expect(isConflictName(conflictName(path, WHEN, 'Ann (home)'))).toBe(true);
      expect(isConflictName(conflictName(path, WHEN, 'ann.local'))).toBe(true);
      expect(isConflictName(conflictName(path, WHEN, 'pc', (c) => !c.includes(' 5')))).toBe(true);
    }
  });
});
