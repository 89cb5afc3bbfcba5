// A scan over a directory that cannot be listed; shared by the in-process test and the unprivileged child the test runs as root.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LocalIndex } from '../../../../main/core/sync/index/localIndex.js';
import { scanFolder } from '../../../../main/core/sync/scan/scanFolder.js';
import type { ScanResult } from '../../../../main/core/sync/scan/scanTypes.js';

export interface UnreadableOutcome {
  readonly locked: ScanResult;
  readonly storedWhileLocked: string[];
}

/** Scans `root` once readable, then again with `root/locked` at mode 000, and restores the mode. */
export async function runUnreadableScenario(root: string, dataDir: string): Promise<UnreadableOutcome> {
  mkdirSync(join(root, 'locked/inner'), { recursive: true });
  writeFileSync(join(root, 'locked/a.txt'), 'a');
  writeFileSync(join(root, 'locked/inner/b.txt'), 'b');
  writeFileSync(join(root, 'open.txt'), 'open');
  const index = LocalIndex.open(dataDir);
  try {
    await scanFolder(root, { index, folderId: 'f' });
    chmodSync(join(root, 'locked'), 0o000);
    try {
      const locked = await scanFolder(root, { index, folderId: 'f' });
      return { locked, storedWhileLocked: [...index.localEntries('f').keys()].sort() };
    } finally {
      chmodSync(join(root, 'locked'), 0o755);
    }
  } finally {
    index.close();
  }
}

// Run as a script (by the test, under an unprivileged uid): print the outcome as JSON.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [root, dataDir] = process.argv.slice(2) as [string, string];
  process.stdout.write(JSON.stringify(await runUnreadableScenario(root, dataDir)));
}
