// `coffer keys rekey`: new per-file keys for sse-c-vault folders, by server-side copy, through the agent or on the data dir.
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { RekeyRequest, RekeyResult } from '../../../preload/contract.js';
import { findRunningAgent } from '../control/agentFiles.js';
import { rekeyOn } from '../folders/folderJobs.js';
import { withOfflineJobs } from '../folders/offlineJobs.js';
import { callAgentUntilDone, progressPrinter, withJobProgress } from './agentJobCall.js';

export interface RekeyCommandIo {
  out: (line: string) => void;
  warn?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

interface RekeyOptions {
  dataDir: string;
  folder?: string;
  olderThan: number;
  json: boolean;
}

function parseDays(value: string): number {
  const days = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(days)) throw new InvalidArgumentError('must be a whole number of days (0 or more)');
  return days;
}

/** Without an agent: each folder in turn on the data dir (remote stores only: the embedded one runs in the agent). */
async function rekeyOffline(o: RekeyOptions, env: NodeJS.ProcessEnv, warn: (line: string) => void, print: (line: string) => void): Promise<RekeyResult> {
  return withOfflineJobs(o.dataDir, env, warn, async ({ deps, folders, storeFor }) => {
    const chosen = folders.filter((s) => (o.folder === undefined ? s.mode === 'sse-c-vault' && !s.pendingMode : s.id === o.folder));
    if (o.folder !== undefined && chosen.length === 0) throw new Error(`no folder with id ${o.folder}`);
    const result: RekeyResult = { rekeyed: 0, skipped: 0, failed: 0, errors: [] };
    for (const settings of chosen) {
      const store = storeFor(settings);
      try {
        const outcome = await rekeyOn(deps, settings, store, o.olderThan, { onProgress: progressPrinter(print, settings.id, 'rekey') });
        result.rekeyed += outcome.changed;
        result.skipped += outcome.skipped;
        result.failed += outcome.failed;
        result.errors.push(...outcome.errors.map((e) => ({ folderId: settings.id, ...e })));
        if (outcome.stoppedBy !== undefined) throw outcome.stoppedBy;
      } finally {
        await store.close();
      }
    }
    return result;
  });
}

export function registerRekeyCommand(keys: Command, io: RekeyCommandIo): void {
  keys
    .command('rekey')
    .description('give the files of sse-c-vault folders new per-file keys by server-side copy (the data stays in the store); run it again to resume')
    .requiredOption('--data-dir <dir>', 'the agent data directory')
    .option('--folder <id>', 'only this folder (default: every sse-c-vault folder)')
    .option('--older-than <days>', 'only keys created more than this many days ago (0: every key)', parseDays, 0)
    .option('--json', 'print {"rekeyed", "skipped", "failed", "errors"}', false)
    .action(async (o: RekeyOptions) => {
      const env = io.env ?? process.env;
      const warn = io.warn ?? ((line: string) => void process.stderr.write(`coffer: ${line}\n`));
      const print = o.json ? () => undefined : io.out;
      const request: RekeyRequest = { ...(o.folder !== undefined ? { folderId: o.folder } : {}), olderThanDays: o.olderThan };
      const agent = findRunningAgent(resolve(o.dataDir));
      const result = agent ? await withJobProgress(agent, callAgentUntilDone(agent, 'keys.rekey', request), print) : await rekeyOffline(o, env, warn, print);
      if (o.json) io.out(JSON.stringify(result));
      else {
        io.out(`Re-keyed ${result.rekeyed} files (${result.skipped} skipped: gone from the store, ${result.failed} failed).`);
        for (const error of result.errors) io.out(`  failed: ${error.folderId} ${error.key}: ${error.message}`);
      }
      if (result.failed > 0) throw new Error(`${result.failed} files kept their old keys; run coffer keys rekey again to retry them`);
    });
}
