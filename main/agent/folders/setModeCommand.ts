// `coffer folder set-mode`: re-encrypts a folder's objects into another mode by server-side copy, through the agent or on the data dir.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { EncryptionModeName, SetModeRequest, SetModeResult } from '../../../preload/contract.js';
import { ENCRYPTION_MODES } from '../../core/sync/folder/folderSettings.js';
import { requestModeChange } from '../../core/sync/folder/modeChangeSettings.js';
import { findRunningAgent } from '../control/agentFiles.js';
import { callAgentUntilDone, progressPrinter, withJobProgress } from '../keys/agentJobCall.js';
import { documentOf } from '../runtime/folderRecords.js';
import { assertKeyTransport } from '../runtime/keyTransport.js';
import { changeModeOn, modeTargetOf } from './folderJobs.js';
import { withOfflineJobs } from './offlineJobs.js';

interface SetModeOptions {
  dataDir: string;
  mode: string;
  kmsKeyId?: string;
  sseCKeyFile?: string;
  json: boolean;
}

/** Without an agent: only folders on a remote store (the embedded store runs in the agent, which resumes the change itself). */
async function setModeOffline(dataDir: string, request: SetModeRequest, print: (line: string) => void): Promise<SetModeResult> {
  const warn = (line: string): void => void process.stderr.write(`coffer: ${line}\n`);
  return withOfflineJobs(dataDir, process.env, warn, async ({ deps, folders, storeFor }) => {
    const current = folders.find((s) => s.id === request.folderId);
    if (!current) throw new Error(`no folder with id ${request.folderId}`);
    assertKeyTransport(current.store, request.mode);
    const store = storeFor(current);
    try {
      const settings = requestModeChange(current, modeTargetOf(request), new Date());
      if (settings !== current) deps.vault.folders.update(settings.id, { settings: documentOf(settings) });
      const outcome = await changeModeOn(deps, settings, store, { onProgress: progressPrinter(print, settings.id, 'change-mode') });
      if (outcome.stoppedBy !== undefined) throw outcome.stoppedBy;
      const errors = outcome.errors.slice(0, 20).map((e) => ({ folderId: settings.id, ...e }));
      return { mode: outcome.settings.mode, completed: outcome.completed, reencrypted: outcome.changed, skipped: outcome.skipped, failed: outcome.failed, errors };
    } finally {
      await store.close();
    }
  });
}

export function registerSetModeCommand(folder: Command, io: { out: (line: string) => void }): void {
  folder
    .command('set-mode <folder-id>')
    .description('re-encrypt every object of a folder into another mode by server-side copy (the data stays in the store); run it again to resume')
    .requiredOption('--data-dir <dir>', 'the agent data directory')
    .requiredOption('--mode <mode>', 'sse-s3, sse-kms, sse-c-vault or sse-c-key')
    .option('--kms-key-id <id>', 'sse-kms: the KMS key (id, ARN, alias/name or alias ARN); default: the store\'s aws/s3 key')
    .option('--sse-c-key-file <file>', 'sse-c-key: a file holding the new 256-bit key')
    .option('--json', 'print {"mode", "completed", "reencrypted", "skipped", "failed", "errors"}', false)
    .action(async (folderId: string, o: SetModeOptions) => {
      if (!(ENCRYPTION_MODES as readonly string[]).includes(o.mode)) throw new Error(`--mode must be one of ${ENCRYPTION_MODES.join(', ')}`);
      const request: SetModeRequest = {
        folderId,
        mode: o.mode as EncryptionModeName,
        ...(o.kmsKeyId ? { kmsKeyId: o.kmsKeyId } : {}),
        // The agent may run elsewhere than this shell: it gets an absolute path.
        ...(o.sseCKeyFile ? { sseCKeyFile: resolve(o.sseCKeyFile) } : {}),
      };
      const print = o.json ? () => undefined : io.out;
      const agent = findRunningAgent(resolve(o.dataDir));
      const result = agent ? await withJobProgress(agent, callAgentUntilDone(agent, 'folders.setMode', request), print) : await setModeOffline(o.dataDir, request, print);
      if (o.json) io.out(JSON.stringify(result));
      else if (result.completed) io.out(`Folder ${folderId} is now ${result.mode}: re-encrypted ${result.reencrypted} objects (${result.skipped} skipped: gone from the store).`);
      else {
        io.out(`Folder ${folderId} is still changing to ${o.mode}: ${result.reencrypted} objects re-encrypted, ${result.failed} failed; it does not sync until the change is done.`);
        for (const error of result.errors) io.out(`  failed: ${error.key}: ${error.message}`);
      }
      if (!result.completed) throw new Error(`the change is not finished: run coffer folder set-mode ${folderId} --mode ${o.mode} again to carry it on`);
    });
}
