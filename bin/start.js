#!/usr/bin/env node
// `npm start` after the build: opens the desktop app, or says in one line why not and runs the headless agent.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { planStart, headlessNotice } = await import('../dist/main/desktop/launchPlan.js');

const appDir = dirname(dirname(fileURLToPath(import.meta.url)));

/** The electron package's folder, found without loading its index.js (which would try to download the binary). */
function electronDir() {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

function readPathTxt(dir) {
  try {
    return dir ? readFileSync(join(dir, 'path.txt'), 'utf8').trim() || undefined : undefined;
  } catch {
    return undefined;
  }
}

const dir = electronDir();
const plan = planStart({
  platform: process.platform,
  env: process.env,
  electronDir: dir,
  electronPathTxt: readPathTxt(dir),
  exists: existsSync,
  appDir,
  nodePath: process.execPath,
  cofferBin: join(appDir, 'bin', 'coffer.js'),
  dataDir: process.env.COFFER_DATA_DIR || './.coffer-data',
});

if (plan.kind === 'headless') process.stdout.write(`${headlessNotice(plan.reason)}\n`);

// The child gets a process group of its own, so a signal sent to ours (Ctrl-C in the terminal, a
// process manager stopping the group) reaches it once, forwarded from here, rather than twice: the
// agent reads a second Ctrl-C as "exit now, without finishing transfers".
const ownGroup = process.platform !== 'win32';
const child = spawn(plan.command, plan.args, { stdio: ['ignore', 'inherit', 'inherit'], cwd: appDir, detached: ownGroup });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (err) => {
  process.stderr.write(`coffer: could not run ${plan.command}: ${err.message}\n`);
  process.exitCode = 1;
});
child.on('exit', (code, signal) => {
  process.exitCode = code ?? 128 + (constants.signals[signal] ?? 0);
});
