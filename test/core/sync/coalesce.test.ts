import { describe, expect, it } from 'vitest';
import { coalesceEvents } from '../../../main/core/sync/coalesce.js';
import type { WatchEvent, WatchEventType } from '../../../main/core/sync/syncTypes.js';

/** 'add a.txt' → { type: 'add', path: 'a.txt' }. */
function events(...lines: string[]): WatchEvent[] {
  return lines.map((line) => {
    const space = line.indexOf(' ');
    return { type: line.slice(0, space) as WatchEventType, path: line.slice(space + 1) };
  });
}

describe('coalesceEvents', () => {
  it.each<[string, string[], string[]]>([
    ['nothing stays nothing', [], []],
    ['a single event passes through', ['change a'], ['change a']],
    ['create then delete cancels', ['add a', 'change a', 'unlink a'], []],
    ['delete then create becomes change', ['unlink a', 'add a'], ['change a']],
    ['repeated changes fold', ['change a', 'change a', 'change a'], ['change a']],
    ['a change after a create stays a create', ['add a', 'change a'], ['add a']],
    ['a delete after changes stays a delete', ['change a', 'change a', 'unlink a'], ['unlink a']],
    ['create, delete, create is a create', ['add a', 'unlink a', 'add a'], ['add a']],
    ['delete, create, delete is a delete', ['unlink a', 'add a', 'unlink a'], ['unlink a']],
    ['atomic save by rename: delete, create, change is a change', ['unlink a', 'add a', 'change a'], ['change a']],
    ['a directory created then removed cancels with its contents', ['addDir d', 'add d/x', 'change d/x', 'unlinkDir d'], []],
    ['events under a deleted directory fold into its deletion', ['change d/x', 'add d/sub/y', 'unlink d/z', 'unlinkDir d/sub', 'unlinkDir d'], ['unlinkDir d']],
    ['deleted, recreated directory: old contents fold, new contents stay', ['change d/x', 'unlinkDir d', 'addDir d', 'add d/y'], ['unlinkDir d', 'addDir d', 'add d/y']],
    ['a file that became a directory', ['unlink a', 'addDir a', 'add a/b'], ['unlink a', 'addDir a', 'add a/b']],
    ['a directory that became a file', ['unlink a/b', 'unlinkDir a', 'add a'], ['unlinkDir a', 'add a']],
    ['a sibling whose name starts like the deleted directory is kept', ['change dx', 'change d/x', 'unlinkDir d'], ['change dx', 'unlinkDir d']],
    ['independent paths keep the order of their first event', ['change b', 'add a', 'change b', 'unlink c'], ['change b', 'add a', 'unlink c']],
  ])('%s', (_case, input, expected) => {
    expect(coalesceEvents(events(...input), { caseInsensitive: false })).toEqual(events(...expected));
  });

  it('keys paths by case on a case-insensitive disk, and keeps them apart on a case-sensitive one', () => {
    const input = events('add Notes.txt', 'unlink notes.txt');
    expect(coalesceEvents(input, { caseInsensitive: true })).toEqual([]);
    expect(coalesceEvents(input, { caseInsensitive: false })).toEqual(input);
  });

  it('folds by case under a deleted directory on a case-insensitive disk', () => {
    expect(coalesceEvents(events('change Docs/a', 'unlinkDir docs'), { caseInsensitive: true })).toEqual(events('unlinkDir docs'));
  });

  it('treats NFC and NFD spellings as one path; a deletion keeps the first spelling, a change the last', () => {
    const nfc = 'caf\u00e9';
    const nfd = 'cafe\u0301';
    expect(coalesceEvents(events(`unlink ${nfd}`, `add ${nfc}`), { caseInsensitive: false })).toEqual(events(`change ${nfc}`));
    expect(coalesceEvents(events(`change ${nfd}`, `unlink ${nfc}`), { caseInsensitive: false })).toEqual(events(`unlink ${nfd}`));
  });

  it('does not change its input', () => {
    const input = events('add a', 'unlink a');
    const copy = structuredClone(input);
    coalesceEvents(input, { caseInsensitive: false });
    expect(input).toEqual(copy);
  });
});
