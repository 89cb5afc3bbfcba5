// Empties trash days older than the folder's retention, on the store and on disk.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectStore } from '../remote/objectStore.js';
import { LOCAL_TRASH_DIR } from './localFiles.js';
import { TRASH_PREFIX, trashDay, trashDayOf } from './remoteLayout.js';

const DAY_MS = 86_400_000;

/** The first day still kept: day folders before it are removed. */
export function oldestKeptDay(now: Date, trashDays: number): string {
  return trashDay(new Date(now.getTime() - trashDays * DAY_MS));
}

/** Deletes remote trash objects filed under days before the retention; returns how many. */
export async function pruneRemoteTrash(store: ObjectStore, now: Date, trashDays: number): Promise<number> {
  const keep = oldestKeptDay(now, trashDays);
  let removed = 0;
  for await (const object of store.list(TRASH_PREFIX)) {
    const day = trashDayOf(object.key);
    if (day !== undefined && day < keep) {
      await store.delete(object.key);
      removed++;
    }
  }
  return removed;
}

/** Removes `.coffer-trash/YYYY-MM-DD` folders before the retention; returns how many day folders went. */
export async function pruneLocalTrash(root: string, now: Date, trashDays: number): Promise<number> {
  const keep = oldestKeptDay(now, trashDays);
  let days: string[];
  try {
    days = await readdir(join(root, LOCAL_TRASH_DIR));
  } catch {
    return 0;
  }
  const old = days.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && d < keep);
  for (const day of old) await rm(join(root, LOCAL_TRASH_DIR, day), { recursive: true, force: true });
  return old.length;
}
