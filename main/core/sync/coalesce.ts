// Folds a burst of raw watcher events into the fewest events that describe the same net change.
import { ancestorsOf, pathKey } from './pathKey.js';
import type { WatchEvent, WatchEventType } from './syncTypes.js';

export interface CoalesceOptions {
  /** Whether the folder's file system ignores case: then 'A.txt' and 'a.txt' are one path. */
  readonly caseInsensitive: boolean;
}

type Presence = 'none' | 'file' | 'dir';

/** What existed at a path before an event, judged from the event alone. */
const BEFORE: Record<WatchEventType, Presence> = { add: 'none', addDir: 'none', change: 'file', unlink: 'file', unlinkDir: 'dir' };
/** What exists at a path after an event. */
const AFTER: Record<WatchEventType, Presence> = { add: 'file', change: 'file', addDir: 'dir', unlink: 'none', unlinkDir: 'none' };

/**
 * Events are grouped by pathKey and each path is reduced to its net change, from what existed before
 * its first event to what exists after its last:
 * - created then deleted cancels; deleted then created becomes 'change'; repeated changes fold into one;
 *   a change after a create stays a create;
 * - a path that switched between file and directory becomes a deletion followed by a creation;
 * - an event under a directory that is deleted later in the burst (or whose last event is its deletion)
 *   is folded into that deletion; events under a directory deleted and then re-created stay when they
 *   come after the re-creation.
 * Output keeps the order of each path's first surviving event; deletions carry the path's first
 * spelling, creations and changes its last. Pure; never throws.
 */
export function coalesceEvents(events: readonly WatchEvent[], options: CoalesceOptions): WatchEvent[] {
  const keys = events.map((event) => pathKey(event.path, options.caseInsensitive));
  const lastDirDeletion = new Map<string, number>();
  const lastEventType = new Map<string, WatchEventType>();
  events.forEach((event, i) => {
    if (event.type === 'unlinkDir') lastDirDeletion.set(keys[i]!, i);
    lastEventType.set(keys[i]!, event.type);
  });

  const foldedIntoAncestor = (key: string, index: number): boolean =>
    ancestorsOf(key).some((ancestor) => {
      const deletedAt = lastDirDeletion.get(ancestor);
      return deletedAt !== undefined && (deletedAt > index || lastEventType.get(ancestor) === 'unlinkDir');
    });

  const byKey = new Map<string, { first: WatchEvent; last: WatchEvent }>();
  events.forEach((event, i) => {
    const key = keys[i]!;
    if (foldedIntoAncestor(key, i)) return;
    const seen = byKey.get(key);
    if (seen === undefined) byKey.set(key, { first: event, last: event });
    else seen.last = event;
  });

  const result: WatchEvent[] = [];
  for (const { first, last } of byKey.values()) result.push(...netChange(first, last));
  return result;
}

function netChange(first: WatchEvent, last: WatchEvent): WatchEvent[] {
  const before = BEFORE[first.type];
  const after = AFTER[last.type];
  const removal: WatchEvent[] = before === 'file' ? [{ type: 'unlink', path: first.path }] : before === 'dir' ? [{ type: 'unlinkDir', path: first.path }] : [];
  if (after === 'none') return removal;
  if (after === 'dir') return [...removal, { type: 'addDir', path: last.path }];
  if (before === 'file') return [{ type: 'change', path: last.path }];
  return [...removal, { type: 'add', path: last.path }];
}
