import { appendFileSync, mkdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWatcher } from '../../../../main/core/sync/watch/chokidarWatcher.js';
import { WatchHarness } from './watchHarness.js';

let h: WatchHarness;
beforeEach(() => {
  h = new WatchHarness();
});
afterEach(() => h.cleanup());

const at = (path: string): string => join(h.root, path);

describe('startWatcher (native)', () => {
  it('reports file and directory creation, change, rename and deletion as relative paths', async () => {
    writeFileSync(at('existing.txt'), 'before the watch');
    const watcher = await h.start();
    expect(watcher.mode).toBe('native');

    writeFileSync(at('a.txt'), 'a');
    await h.waitForEvents([{ type: 'add', path: 'a.txt' }]);
    appendFileSync(at('a.txt'), 'more');
    await h.waitForEvents([{ type: 'change', path: 'a.txt' }]);
    mkdirSync(at('dir'));
    await h.waitForEvents([{ type: 'addDir', path: 'dir' }]);
    writeFileSync(at('dir/inner.txt'), 'inner');
    await h.waitForEvents([{ type: 'add', path: 'dir/inner.txt' }]);
    renameSync(at('a.txt'), at('dir/moved.txt'));
    await h.waitForEvents([{ type: 'unlink', path: 'a.txt' }, { type: 'add', path: 'dir/moved.txt' }]);
    renameSync(at('dir'), at('renamed'));
    await h.waitForEvents([
      { type: 'unlinkDir', path: 'dir' },
      { type: 'addDir', path: 'renamed' },
      { type: 'add', path: 'renamed/inner.txt' },
      { type: 'add', path: 'renamed/moved.txt' },
    ]);
    rmSync(at('renamed'), { recursive: true });
    unlinkSync(at('existing.txt'));
    await h.waitForEvents([
      { type: 'unlink', path: 'renamed/inner.txt' },
      { type: 'unlinkDir', path: 'renamed' },
      { type: 'unlink', path: 'existing.txt' },
    ]);
    expect(h.events.some((e) => e.path === 'existing.txt' && e.type === 'add')).toBe(false);
    expect(h.errors).toEqual([]);
  });

  it('delivers events in batches and nothing once closed', async () => {
    const watcher = await h.start();
    for (let i = 0; i < 20; i++) writeFileSync(at(`f${i}.txt`), `${i}`);
    await h.waitForEvents(Array.from({ length: 20 }, (_, i) => ({ type: 'add' as const, path: `f${i}.txt` })));
    expect(h.batches.length).toBeLessThan(20);
    await watcher.close();
    const seen = h.events.length;
    // A second watcher on the same folder proves the write below did produce an event.
    const witnessed: string[] = [];
    const witness = startWatcher(h.root, {
      onEvents: (events) => witnessed.push(...events.map((e) => e.path)),
      onError: () => {},
      onModeChange: () => {},
    });
    try {
      await witness.ready;
      writeFileSync(at('after-close.txt'), 'x');
      await h.waitUntil(() => witnessed.includes('after-close.txt'), () => `witness saw ${JSON.stringify(witnessed)}`);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      await witness.close();
    }
    expect(h.events.length).toBe(seen);
  });

  it('leaves out ignored paths, the trash and temp files, but reports the file a temp file is renamed to', async () => {
    const ignore = (path: string, isDir: boolean): boolean => (isDir && path === 'build') || (!isDir && path.endsWith('.log'));
    await h.start({ ignore });
    mkdirSync(at('build'));
    writeFileSync(at('build/out.js'), 'ignored');
    writeFileSync(at('debug.log'), 'ignored');
    mkdirSync(at('.coffer-trash'));
    writeFileSync(at('.coffer-trash/old.txt'), 'trashed');
    writeFileSync(at('.coffer-tmp-9a'), 'downloading');
    renameSync(at('.coffer-tmp-9a'), at('downloaded.txt'));
    writeFileSync(at('visible.txt'), 'last');
    await h.waitForEvents([{ type: 'add', path: 'downloaded.txt' }, { type: 'add', path: 'visible.txt' }]);
    const paths = h.events.map((e) => e.path);
    expect(paths.filter((p) => p.startsWith('build') || p.endsWith('.log') || p.includes('.coffer-'))).toEqual([]);
  });

  it('stops and reports ENOENT when the watched folder itself is removed', async () => {
    writeFileSync(at('a.txt'), 'a');
    await h.start();
    rmSync(h.root, { recursive: true });
    await h.waitUntil(() => h.errors.length > 0, () => `no error; events ${JSON.stringify(h.events)}`);
    expect(h.errors.map((e) => [e.code, e.willRestart])).toEqual([['ENOENT', false]]);
  });
});

describe('startWatcher (polling)', () => {
  it('watches by polling when forced, reporting the same kinds of events', async () => {
    const watcher = await h.start({ forcePolling: true, pollIntervalMs: 100 });
    expect(watcher.mode).toBe('polling');
    writeFileSync(at('p.txt'), 'polled');
    mkdirSync(at('pd'));
    await h.waitForEvents([{ type: 'add', path: 'p.txt' }, { type: 'addDir', path: 'pd' }]);
    appendFileSync(at('p.txt'), ' again');
    await h.waitForEvents([{ type: 'change', path: 'p.txt' }]);
    unlinkSync(at('p.txt'));
    await h.waitForEvents([{ type: 'unlink', path: 'p.txt' }]);
    expect(h.modeChanges).toEqual([]);
  });
});
