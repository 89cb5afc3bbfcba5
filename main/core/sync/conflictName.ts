// Names for the losing copy of a conflict: "name (conflict YYYY-MM-DD HHMMSS on DEVICE).ext", beside the original.
import type { RelativePath } from './syncTypes.js';

/** Most file systems cap one name at 255 bytes (ext4, APFS) or 255 UTF-16 units (NTFS); UTF-8 bytes bound both. */
const MAX_NAME_BYTES = 255;
/** Device names are user-chosen; a long one must not crowd out the file's own name. */
const MAX_DEVICE_CHARS = 40;
/** Beyond this many taken names something is wrong with `exists`, not with luck. */
const MAX_COUNTER = 9999;

/** Characters no file name may hold on Windows, macOS or Linux, and parentheses, which delimit the marker. */
const UNSAFE_DEVICE_CHARS = /[\u0000-\u001f\u007f/\\:*?"<>|()]/g;

/** The marker, an optional counter, then an optional extension (which never holds a dot), at the end of a file name. */
const MARKER = / \(conflict \d{4}-\d{2}-\d{2} \d{6} on [^()/]+\)(?: \d+)?(?:\.[^./]+)?$/;

/**
 * The conflict name for `path` in the same directory, using the local time of `date`:
 * 'notes/plan.txt' → 'notes/plan (conflict 2024-03-05 140709 on laptop).txt'.
 * - The extension is the last '.suffix' of the file name; a leading dot does not start one, so
 *   '.bashrc' keeps its whole name before the marker while '.eslintrc.json' keeps '.json' after it.
 * - `device` is made safe for every file system: separators, reserved characters, control characters
 *   and parentheses become '_', whitespace runs become one space, trailing dots and spaces go (Windows),
 *   it is cut to 40 characters, and an empty result becomes 'unknown device'.
 * - When `exists(candidate)` is true, ' 2', ' 3'… are appended after the marker until a free name is found.
 * - When the name would exceed 255 UTF-8 bytes, the original name part is shortened (never mid-character).
 * Throws RangeError for an invalid date or when 9999 candidates are all taken.
 */
export function conflictName(
  path: RelativePath,
  date: Date,
  device: string,
  exists: (candidate: RelativePath) => boolean = () => false,
): RelativePath {
  if (Number.isNaN(date.getTime())) throw new RangeError('conflict date is invalid');
  const slash = path.lastIndexOf('/');
  const directory = path.slice(0, slash + 1);
  const { stem, extension } = splitExtension(path.slice(slash + 1));
  const marker = ` (conflict ${formatLocalTime(date)} on ${safeDeviceName(device)})`;
  for (let counter = 1; counter <= MAX_COUNTER; counter++) {
    const suffix = counter === 1 ? marker : `${marker} ${counter}`;
    const candidate = directory + fitName(stem, suffix + extension);
    if (!exists(candidate)) return candidate;
  }
  throw new RangeError(`no free conflict name for ${JSON.stringify(path)} after ${MAX_COUNTER} tries`);
}

/** Whether the file name of `path` carries a conflict marker made by conflictName (any device, any counter). */
export function isConflictName(path: RelativePath): boolean {
  return MARKER.test(path.slice(path.lastIndexOf('/') + 1));
}

/** The device name as conflictName writes it. */
export function safeDeviceName(device: string): string {
  const cleaned = device
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .replace(UNSAFE_DEVICE_CHARS, '_')
    .trim();
  const cut = Array.from(cleaned).slice(0, MAX_DEVICE_CHARS).join('');
  const trimmed = cut.replace(/[. ]+$/, '');
  return trimmed === '' ? 'unknown device' : trimmed;
}

function splitExtension(name: string): { stem: string; extension: string } {
  const dot = name.lastIndexOf('.');
  // No dot, only a leading dot, or a trailing dot: no extension.
  if (dot <= 0 || dot === name.length - 1) return { stem: name, extension: '' };
  return { stem: name.slice(0, dot), extension: name.slice(dot) };
}

function formatLocalTime(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const day = `${String(date.getFullYear()).padStart(4, '0')}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
  return `${day} ${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

/** stem + tail, with the stem shortened by whole code points until the name fits the byte limit. */
function fitName(stem: string, tail: string): string {
  const tailBytes = Buffer.byteLength(tail);
  if (Buffer.byteLength(stem) + tailBytes <= MAX_NAME_BYTES) return stem + tail;
  const kept: string[] = [];
  let bytes = tailBytes;
  for (const char of stem) {
    const size = Buffer.byteLength(char);
    if (bytes + size > MAX_NAME_BYTES) break;
    kept.push(char);
    bytes += size;
  }
  return kept.join('') + tail;
}
