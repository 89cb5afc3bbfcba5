// Where a folder's files and Coffer's own records live under the folder's bucket prefix.
/** Coffer's records beside the data (the vault keyring); never synced as files. */
export const META_PREFIX = '.coffer/';
/** Deleted files' last versions, one dated folder per day, kept `trashDays`. */
export const TRASH_PREFIX = '.coffer-trash/';
export const KEYRING_KEY = `${META_PREFIX}keyring.json`;

/** Object metadata and tag names Coffer writes (S3 lower-cases metadata names). */
export const META_SHA256 = 'coffer-sha256';
export const META_MTIME = 'coffer-mtime';
/** The per-file key wrapped by a vault master key (sse-c-vault); also a tag, because tags need no SSE-C key to read. */
export const FILE_KEY_TAG = 'coffer-key';

/** Keys under the reserved prefixes are Coffer's, not the user's files. */
export function isReservedKey(key: string): boolean {
  return key.startsWith(META_PREFIX) || key.startsWith(TRASH_PREFIX);
}

export function trashDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `.coffer-trash/YYYY-MM-DD/<key>`: a day folder per deletion date, pruned whole when it expires. */
export function trashKeyOf(key: string, date: Date): string {
  return `${TRASH_PREFIX}${trashDay(date)}/${key}`;
}

/** The deletion day a trash key was filed under, or undefined for keys not in that shape. */
export function trashDayOf(key: string): string | undefined {
  const match = /^\.coffer-trash\/(\d{4}-\d{2}-\d{2})\//.exec(key);
  return match?.[1];
}
