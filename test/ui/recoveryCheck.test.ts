// The recovery-key check: three distinct groups drawn by an injected random source, and the wrong ones named.
import { describe, expect, it } from 'vitest';
import { cryptoRandomInt, normalizeGroup, pickCheckPositions, positionsInWords, recoveryGroups, wrongGroups } from '../../renderer/lib/recoveryCheck.js';

const KEY = 'ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567-89ABC-DEFGH-JKMNP-QRSTV-WXYZ0';

describe('recovery key check', () => {
  it('splits the key into its groups', () => {
    expect(recoveryGroups(` ${KEY}\n`)).toHaveLength(11);
    expect(recoveryGroups(KEY)[4]).toBe('YZ012');
  });

  it('draws distinct positions in order from the injected source, and refuses to draw more than there are', () => {
    const draws = [10, 0, 4];
    expect(pickCheckPositions(11, 3, () => draws.shift()!)).toEqual([1, 6, 11]);
    for (let i = 0; i < 50; i++) {
      const positions = pickCheckPositions(11, 3, cryptoRandomInt);
      expect(new Set(positions).size).toBe(3);
      expect(positions.every((p) => p >= 1 && p <= 11)).toBe(true);
    }
    expect(() => pickCheckPositions(2, 3)).toThrow(RangeError);
  });

  it('names each wrong group, forgiving case and the letters Crockford base32 reads as digits', () => {
    const groups = recoveryGroups(KEY);
    expect(wrongGroups(groups, [2, 5, 11], ['fghjk', 'yz0i2', 'WXYZO'])).toEqual([]);
    expect(wrongGroups(groups, [2, 5, 11], ['FGHJK', 'YZ013', ''])).toEqual([5, 11]);
    expect(normalizeGroup(' oil ')).toBe('011');
  });

  it('words the positions for the prompt', () => {
    expect(positionsInWords([2, 5, 7])).toBe('groups 2, 5 and 7');
  });
});
