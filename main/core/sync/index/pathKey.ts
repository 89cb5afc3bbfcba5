// The lookup key of a folder-relative path: its NFC form, which is also the remote object key.
import type { RelativePath } from '../syncTypes.js';

/**
 * macOS can hand back names in NFD while Linux and Windows keep whatever bytes were written, so
 * the same visible name may arrive in two spellings; the index, the planner and the remote agree
 * on NFC. Two different on-disk paths with one key are a clash the planner reports, not a merge.
 */
export function pathKey(path: RelativePath): string {
  return path.normalize('NFC');
}
