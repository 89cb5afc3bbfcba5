import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WatchLimitOutcome } from './watchLimitScenario.js';

// inotify's watch limit is per user namespace (/proc/sys/user/max_inotify_watches), so a child in its
// own namespace can hit a real ENOSPC without touching this machine's limit. Where unprivileged user
// namespaces are not allowed, this test is skipped: exhausting the machine-wide limit is not safe.
const WATCH_LIMIT = 8;
const namespaceProbe = spawnSync('unshare', ['-Ur', 'sh', '-c', `echo ${WATCH_LIMIT} > /proc/sys/user/max_inotify_watches`]);
const canLimitWatches = process.platform === 'linux' && namespaceProbe.status === 0;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coffer-watch-limit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!canLimitWatches)('startWatcher at the inotify watch limit', () => {
  it('switches to polling with a reason for the user, and keeps reporting changes', () => {
    const script = fileURLToPath(new URL('./watchLimitScenario.ts', import.meta.url));
    const child = spawnSync(
      'unshare',
      ['-Ur', 'sh', '-c', `echo ${WATCH_LIMIT} > /proc/sys/user/max_inotify_watches && exec "$0" --import tsx "$1" "$2" "$3"`, process.execPath, script, dir, String(WATCH_LIMIT * 3)],
      { encoding: 'utf8', cwd: fileURLToPath(new URL('../../../../', import.meta.url)), timeout: 60_000 },
    );
    expect(child.status, child.stderr).toBe(0);
    const outcome = JSON.parse(child.stdout) as WatchLimitOutcome;
    expect(outcome.modeChanges).toHaveLength(1);
    expect(outcome.modeChanges[0]?.mode).toBe('polling');
    expect(outcome.modeChanges[0]?.reason).toMatch(/max_user_watches/);
    expect(outcome.finalMode).toBe('polling');
    expect(outcome.errors).toEqual([]);
    expect(outcome.events).toContainEqual({ type: 'add', path: 'd3/after-switch.txt' });
  });
});
