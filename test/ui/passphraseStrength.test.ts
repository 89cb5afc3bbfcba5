// The first-run strength meter's estimate: common words, runs, sequences and repeats count for little; length and variety count.
import { describe, expect, it } from 'vitest';
import { newPassphraseProblem, passphraseStrength } from '../../renderer/lib/passphraseStrength.js';

describe('passphraseStrength', () => {
  it('calls short, common, repeated and sequential passphrases Weak, and says why', () => {
    expect(passphraseStrength('')).toMatchObject({ bits: 0, label: 'Weak' });
    expect(passphraseStrength('x7#Qp!2')).toMatchObject({ label: 'Weak', hint: 'Use at least 8 characters.' });
    expect(passphraseStrength('password1')).toMatchObject({ label: 'Weak', hint: expect.stringContaining('common words') });
    expect(passphraseStrength('Qwerty123456')).toMatchObject({ label: 'Weak' });
    expect(passphraseStrength('aaaaaaaaaaaaaaaaaaaa')).toMatchObject({ label: 'Weak', hint: expect.stringContaining('repeats') });
    expect(passphraseStrength('abcdefghijklmnop')).toMatchObject({ label: 'Weak' });
  });

  it('counts a repeated chunk once: "zebra-kiwizebra-kiwi" is worth little more than "zebra-kiwi"', () => {
    const once = passphraseStrength('zebra-kiwi');
    const twice = passphraseStrength('zebra-kiwizebra-kiwi');
    expect(twice.bits - once.bits).toBeLessThanOrEqual(4);
  });

  it('rates longer and more varied passphrases higher, up to Strong', () => {
    const labels = ['sunflowers', 'mango river', 'mango river candle', 'mango river candle 7', 'mango river candle 7 Orbit'].map((p) => passphraseStrength(p).label);
    expect(labels).toEqual(['Weak', 'Weak', 'Fair', 'Good', 'Strong']);
    expect(passphraseStrength('mango river candle 7 Orbit').hint).toBeUndefined();
  });

  it('refuses Weak passphrases and mismatched confirmations, naming the rating', () => {
    expect(newPassphraseProblem('password1', 'password1')).toMatchObject({ code: 'WeakPassphrase', message: expect.stringContaining('rated Weak') });
    expect(newPassphraseProblem('mango river candle', 'mango river candl')).toMatchObject({ code: 'PassphraseMismatch' });
    expect(newPassphraseProblem('mango river candle', 'mango river candle')).toBeUndefined();
  });
});
