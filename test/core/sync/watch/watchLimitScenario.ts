// Run in a user namespace whose inotify watch limit is tiny: starts a watcher on a deep folder and prints what it reported.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWatcher } from '../../../../main/core/sync/watch/chokidarWatcher.js';
import type { RawWatchEvent, WatchMode } from '../../../../main/core/sync/watch/watchEvents.js';

export interface WatchLimitOutcome {
  readonly modeChanges: { mode: WatchMode; reason: string }[];
  readonly finalMode: WatchMode;
  readonly errors: string[];
  readonly events: RawWatchEvent[];
}

const [root, dirCount] = process.argv.slice(2) as [string, string];
for (let i = 0; i < Number(dirCount); i++) mkdirSync(join(root, `d${i}`), { recursive: true });

const outcome: WatchLimitOutcome = { modeChanges: [], finalMode: 'native', errors: [], events: [] };
let switched: () => void = () => {};
const switchedToPolling = new Promise<void>((resolve) => {
  switched = resolve;
});
const watcher = startWatcher(root, {
  pollIntervalMs: 100,
  onEvents: (events) => outcome.events.push(...events),
  onError: (error) => outcome.errors.push(`${error.code}: ${error.message}`),
  onModeChange: (mode, reason) => {
    outcome.modeChanges.push({ mode, reason });
    switched();
  },
});
await switchedToPolling;
await watcher.ready;
writeFileSync(join(root, 'd3', 'after-switch.txt'), 'seen by polling');
const deadline = Date.now() + 15_000;
while (!outcome.events.some((e) => e.path === 'd3/after-switch.txt') && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 20));
}
await watcher.close();
process.stdout.write(JSON.stringify({ ...outcome, finalMode: watcher.mode }));
