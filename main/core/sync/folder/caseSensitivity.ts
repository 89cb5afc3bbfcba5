// Finds out whether a folder's file system tells 'a' from 'A', by asking it.
import { randomBytes } from 'node:crypto';
import { rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_FILE_PREFIX } from '../scan/internalNames.js';

/** Writes a probe with a lower-case name and looks it up in upper case (APFS, NTFS: found; ext4: not). */
export async function isCaseInsensitive(root: string): Promise<boolean> {
  const name = `${TEMP_FILE_PREFIX}case-${randomBytes(4).toString('hex')}`;
  const probe = join(root, name);
  await writeFile(probe, '');
  try {
    await stat(join(root, name.toUpperCase()));
    return true;
  } catch {
    return false;
  } finally {
    await rm(probe, { force: true });
  }
}
