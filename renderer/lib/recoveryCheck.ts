// The recovery-key check of the first run: which groups to type back, and which typed groups are wrong.

/** An integer in [0, maxExclusive), uniformly: the injectable randomness of the check (tests pin it). */
export type RandomInt = (maxExclusive: number) => number;

/** The browser's CSPRNG, rejection-sampled so every value is equally likely. */
export const cryptoRandomInt: RandomInt = (maxExclusive) => {
  if (!Number.isInteger(maxExclusive) || maxExclusive < 1 || maxExclusive > 2 ** 32) throw new RangeError('maxExclusive must be an integer in [1, 2^32]');
  const limit = 2 ** 32 - (2 ** 32 % maxExclusive);
  const word = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(word);
    if (word[0]! < limit) return word[0]! % maxExclusive;
  }
};

/** The groups of a recovery key as shown (`XXXXX-XXXXX-…`), spaces and dashes as separators. */
export function recoveryGroups(recoveryKey: string): string[] {
  return recoveryKey
    .trim()
    .split(/[\s-]+/)
    .filter((group) => group.length > 0);
}

/**
 * `count` distinct group positions, counted from 1 and in ascending order, drawn from
 * 1..groupCount. RangeError when count exceeds groupCount or is not a positive integer.
 */
export function pickCheckPositions(groupCount: number, count: number, randomInt: RandomInt = cryptoRandomInt): number[] {
  if (!Number.isInteger(count) || count < 1 || count > groupCount) throw new RangeError(`cannot pick ${count} of ${groupCount} groups`);
  const remaining = Array.from({ length: groupCount }, (_, i) => i + 1);
  const picked: number[] = [];
  while (picked.length < count) picked.push(remaining.splice(randomInt(remaining.length), 1)[0]!);
  return picked.sort((a, b) => a - b);
}

/**
 * A group as the agent reads it: Crockford base32 ignores case and reads O as 0 and I or L as 1,
 * so those slips are not counted as mistakes.
 */
export function normalizeGroup(group: string): string {
  return group.trim().toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
}

/**
 * The positions (from `positions`) whose typed group does not match the key's; empty when all do.
 * `typed[i]` answers `positions[i]`; a missing answer counts as wrong.
 */
export function wrongGroups(groups: readonly string[], positions: readonly number[], typed: readonly string[]): number[] {
  return positions.filter((position, i) => {
    const expected = groups[position - 1];
    return expected === undefined || normalizeGroup(typed[i] ?? '') !== normalizeGroup(expected);
  });
}

/** "group 2, 5 and 7": the positions as a sentence names them. */
export function positionsInWords(positions: readonly number[]): string {
  if (positions.length <= 1) return `group ${positions.join('')}`;
  return `groups ${positions.slice(0, -1).join(', ')} and ${positions[positions.length - 1]}`;
}
