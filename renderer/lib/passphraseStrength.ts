// A rough passphrase strength estimate for the first-run meter: bits from length and character kinds, less for predictable parts.

export type StrengthLabel = 'Weak' | 'Fair' | 'Good' | 'Strong';

export interface PassphraseStrength {
  /** Estimated entropy in bits (an estimate to guide people, not a guarantee). */
  bits: number;
  /** 0 Weak, 1 Fair, 2 Good, 3 Strong: the meter's value. */
  score: 0 | 1 | 2 | 3;
  label: StrengthLabel;
  /** The main thing to improve, in a sentence; absent when nothing stands out. */
  hint?: string;
}

/** The vault refuses shorter passphrases (passphrasePolicy on the agent); below this the meter says Weak whatever the bits. */
export const MIN_PASSPHRASE_CHARS = 8;

/** Lower bounds, in bits, of Fair, Good and Strong. */
const FAIR_BITS = 45;
const GOOD_BITS = 60;
const STRONG_BITS = 80;

/** Bits a letter inside a word is worth: words follow a language, so their letters are far from random. */
const WORD_LETTER_BITS = 3;

/** Letters in a row from which they read as a word. */
const WORD_MIN_LETTERS = 3;

/** Bits a predictable piece (a common word, a run, a repeat) is worth as a whole, whatever its length. */
const PREDICTABLE_PIECE_BITS = 4;

/** Characters searched for repeated chunks (the search grows with the cube of the length). */
const REPEAT_SCAN_CHARS = 128;

/** Words and runs that guessing tools try first; matched case-insensitively anywhere in the passphrase. */
const COMMON_PIECES = [
  'password', 'passw0rd', 'passphrase', 'qwerty', 'azerty', 'asdf', 'zxcv', 'letmein', 'welcome', 'admin', 'login',
  'iloveyou', 'monkey', 'dragon', 'master', 'secret', 'sunshine', 'princess', 'football', 'baseball', 'shadow',
  'coffer', 'vault', 'abc123', '123456', '654321', '111111', '000000',
];

/** Keyboard rows and the alphabet: three or more neighbours in a row read as one piece. */
const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '0123456789', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** How many distinct characters an attacker must try per position, from the kinds present. */
function poolSize(chars: readonly string[]): number {
  let pool = 0;
  if (chars.some((c) => /[a-z]/.test(c))) pool += 26;
  if (chars.some((c) => /[A-Z]/.test(c))) pool += 26;
  if (chars.some((c) => /[0-9]/.test(c))) pool += 10;
  // A space between words adds one choice, not a whole class of symbols.
  if (chars.includes(' ')) pool += 1;
  if (chars.some((c) => /[!-/:-@[-`{-~]/.test(c))) pool += 32;
  if (chars.some((c) => c.codePointAt(0)! > 0x7e)) pool += 100;
  return Math.max(pool, 1);
}

/** Whether chars[i - 2], chars[i - 1], chars[i] follow each other in a known sequence, either way round. */
function inSequence(lower: readonly string[], i: number): boolean {
  if (i < 2) return false;
  const triple = lower.slice(i - 2, i + 1).join('');
  const reversed = [...triple].reverse().join('');
  return SEQUENCES.some((sequence) => sequence.includes(triple) || sequence.includes(reversed));
}

/**
 * Marks the characters that add little: parts of common words, runs of one character, sequences
 * such as "abc" or "321", and a repetition of an earlier chunk ("passpass"). Returns the count of
 * predictable pieces found and which positions they cover.
 */
function predictableParts(chars: readonly string[]): { covered: boolean[]; pieces: { common: number; pattern: number } } {
  const lower = chars.map((c) => c.toLowerCase());
  const text = lower.join('');
  const covered = chars.map(() => false);
  const pieces = { common: 0, pattern: 0 };
  for (const word of COMMON_PIECES) {
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) {
      pieces.common += 1;
      for (let i = at; i < at + word.length; i++) covered[i] = true;
    }
  }
  for (let i = 2; i < lower.length; i++) {
    const run = lower[i] === lower[i - 1] && lower[i] === lower[i - 2];
    if (!run && !inSequence(lower, i)) continue;
    if (!covered[i - 1]) pieces.pattern += 1;
    covered[i - 2] = covered[i - 1] = covered[i] = true;
  }
  // A chunk of four or more characters that appeared just before it: only the first copy counts.
  // Looked for in the first REPEAT_SCAN_CHARS only, so a pasted essay does not stall typing.
  const scanned = Math.min(lower.length, REPEAT_SCAN_CHARS);
  for (let size = Math.floor(scanned / 2); size >= 4; size--) {
    for (let at = size; at + size <= scanned; at++) {
      if (text.slice(at, at + size) !== text.slice(at - size, at) || covered[at]) continue;
      pieces.pattern += 1;
      for (let i = at; i < at + size; i++) covered[i] = true;
    }
  }
  return { covered, pieces };
}

/** Which characters are letters inside a word (a run of WORD_MIN_LETTERS letters or more). */
function wordLetters(chars: readonly string[]): boolean[] {
  const inWord = chars.map(() => false);
  let start = 0;
  for (let i = 0; i <= chars.length; i++) {
    if (i < chars.length && /\p{L}/u.test(chars[i]!)) continue;
    if (i - start >= WORD_MIN_LETTERS) for (let j = start; j < i; j++) inWord[j] = true;
    start = i + 1;
  }
  return inWord;
}

function labelOf(score: 0 | 1 | 2 | 3): StrengthLabel {
  return (['Weak', 'Fair', 'Good', 'Strong'] as const)[score];
}

/**
 * Estimates how hard `passphrase` is to guess. Each unpredictable character is worth log2 of the
 * pool of the character kinds used, a letter inside a word at most WORD_LETTER_BITS; each
 * predictable piece (see predictableParts) a few bits in all. Under MIN_PASSPHRASE_CHARS characters the label is Weak whatever the estimate. Never throws;
 * the empty string is Weak with 0 bits.
 */
export function passphraseStrength(passphrase: string): PassphraseStrength {
  const chars = [...passphrase];
  if (chars.length === 0) return { bits: 0, score: 0, label: 'Weak', hint: `Use at least ${MIN_PASSPHRASE_CHARS} characters.` };
  const { covered, pieces } = predictableParts(chars);
  const inWord = wordLetters(chars);
  const perChar = Math.log2(poolSize(chars));
  let free = 0;
  covered.forEach((isCovered, i) => {
    if (!isCovered) free += inWord[i] ? Math.min(perChar, WORD_LETTER_BITS) : perChar;
  });
  const bits = Math.round(free + (pieces.common + pieces.pattern) * PREDICTABLE_PIECE_BITS);
  let score: 0 | 1 | 2 | 3 = bits >= STRONG_BITS ? 3 : bits >= GOOD_BITS ? 2 : bits >= FAIR_BITS ? 1 : 0;
  if (chars.length < MIN_PASSPHRASE_CHARS) score = 0;
  return { bits, score, label: labelOf(score), ...hintOf(chars.length, pieces, score) };
}

function hintOf(length: number, pieces: { common: number; pattern: number }, score: number): { hint?: string } {
  if (length < MIN_PASSPHRASE_CHARS) return { hint: `Use at least ${MIN_PASSPHRASE_CHARS} characters.` };
  if (score >= 3) return {};
  if (pieces.common > 0) return { hint: 'Avoid common words such as “password” or “qwerty”: they are guessed first.' };
  if (pieces.pattern > 0) return { hint: 'Avoid repeats and sequences such as “aaa”, “abc” or “123”.' };
  return { hint: 'Make it longer: several unrelated words work well.' };
}

/** The weakest label the vault may be created with. */
export const MIN_ACCEPTED_SCORE = 1;

/**
 * Why a new passphrase cannot be used yet, in a sentence, or undefined when it can: rated under
 * Fair (the label and the main hint are named), or not the same as its confirmation.
 */
export function newPassphraseProblem(passphrase: string, confirmation: string): { code: 'WeakPassphrase' | 'PassphraseMismatch'; message: string } | undefined {
  const strength = passphraseStrength(passphrase);
  if (strength.score < MIN_ACCEPTED_SCORE) {
    return { code: 'WeakPassphrase', message: `This passphrase is rated ${strength.label}; it must be at least Fair. ${strength.hint ?? ''}`.trim() };
  }
  if (passphrase !== confirmation) return { code: 'PassphraseMismatch', message: 'The two passphrases differ: type the same one twice.' };
  return undefined;
}
