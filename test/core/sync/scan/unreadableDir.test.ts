import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runUnreadableScenario, type UnreadableOutcome } from './unreadableScenario.js';

const NOBODY = 65534;
const runningAsRoot = process.getuid?.() === 0;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coffer-scan-locked-'));
  mkdirSync(join(dir, 'root'));
  mkdirSync(join(dir, 'data'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Root reads every directory whatever its mode, so as root the scenario runs in a child as `nobody`. */
async function scenario(): Promise<UnreadableOutcome> {
  const root = join(dir, 'root');
  const dataDir = join(dir, 'data');
  if (!runningAsRoot) return runUnreadableScenario(root, dataDir);
  for (const path of [dir, root, dataDir]) chownSync(path, NOBODY, NOBODY);
  const script = fileURLToPath(new URL('./unreadableScenario.ts', import.meta.url));
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, root, dataDir], {
    uid: NOBODY,
    gid: NOBODY,
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('../../../../', import.meta.url)),
  });
  if (child.status !== 0) throw new Error(`scenario child failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout) as UnreadableOutcome;
}

describe('scanFolder over a directory it cannot list', () => {
  it('reports the directory and keeps what the index knew under it, so it never reads as a deletion', async () => {
    const { locked, storedWhileLocked } = await scenario();
    expect(locked.errors).toEqual([{ path: 'locked', code: 'EACCES' }]);
    expect(locked.vanished).toEqual([]);
    expect(locked.files.map((f) => f.path)).toEqual(['locked/a.txt', 'locked/inner/b.txt', 'open.txt']);
    expect(storedWhileLocked).toEqual(['locked/a.txt', 'locked/inner/b.txt', 'open.txt']);
  });
});
