// What a new passphrase must be: long enough that scrypt's cost is not the only thing standing in the way.

/** Characters (code points), not bytes: a passphrase in any script counts the same. */
export const MIN_PASSPHRASE_CHARS = 8;

/** RangeError for a passphrase that is not a string of at least MIN_PASSPHRASE_CHARS characters (the message never echoes it). */
export function assertNewPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || [...passphrase].length < MIN_PASSPHRASE_CHARS) {
    throw new RangeError(`a passphrase needs at least ${MIN_PASSPHRASE_CHARS} characters`);
  }
}
