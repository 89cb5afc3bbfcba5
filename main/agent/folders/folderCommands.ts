// `coffer folder …`, `coffer status` and `coffer sync-now`: through the running agent, or on the data dir when none runs.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { AddFolderRequest, FolderStatus } from '../../../preload/contract.js';
import { LocalIndex } from '../../core/sync/index/localIndex.js';
import { viaAgent, withVault } from '../runtime/dataDirAccess.js';
import { addFolderRecord } from '../runtime/folderRecords.js';
import { formatFolderStatus, progressLine } from './formatStatus.js';
import { offlineStatus } from './offlineStatus.js';
import { registerSetModeCommand } from './setModeCommand.js';
import { syncOnce, syncReport } from './syncOnce.js';

type Io = { out: (line: string) => void };

const PROGRESS_INTERVAL_MS = 3000;

interface AddOptions {
  dataDir: string;
  mode?: AddFolderRequest['mode'];
  kmsKeyId?: string;
  sseCKeyFile?: string;
  rememberKey?: boolean;
  store?: string;
  bucket?: string;
  prefix?: string;
  region?: string;
  pathStyle?: boolean;
  caCert?: string;
  insecureTls?: boolean;
  accessKey?: string;
  secretKey?: string;
  json?: boolean;
}

function requestOf(path: string, o: AddOptions): AddFolderRequest {
  return {
    localPath: path,
    ...(o.mode ? { mode: o.mode } : {}),
    ...(o.kmsKeyId ? { kmsKeyId: o.kmsKeyId } : {}),
    ...(o.sseCKeyFile ? { sseCKeyFile: o.sseCKeyFile } : {}),
    ...(o.rememberKey ? { rememberKey: true } : {}),
    ...(o.store ? { store: o.store } : {}),
    ...(o.bucket ? { bucket: o.bucket } : {}),
    ...(o.prefix !== undefined ? { prefix: o.prefix } : {}),
    ...(o.region ? { region: o.region } : {}),
    ...(o.pathStyle ? { pathStyle: true } : {}),
    ...(o.caCert ? { caCertPem: readFileSync(o.caCert, 'utf8') } : {}),
    ...(o.insecureTls ? { insecureTls: true } : {}),
    ...(o.accessKey ? { accessKeyId: o.accessKey } : {}),
    ...(o.secretKey ? { secretAccessKey: o.secretKey } : {}),
  };
}

function printFolders(io: Io, folders: readonly FolderStatus[], json: boolean | undefined): void {
  if (json) return io.out(JSON.stringify(folders));
  if (folders.length === 0) io.out('No folders yet: coffer folder add PATH --data-dir DIR');
  for (const folder of folders) for (const line of formatFolderStatus(folder)) io.out(line);
}

export function registerFolderCommands(program: Command, io: Io): void {
  const folder = program.command('folder').description('add, list, pause, resume and remove synced folders');

  folder
    .command('add <path>')
    .description('sync a folder (created if missing) to a bucket of the embedded store or a remote S3 service')
    .requiredOption('--data-dir <dir>', 'the agent data directory')
    .option('--mode <mode>', 'sse-s3, sse-kms, sse-c-vault or sse-c-key', 'sse-s3')
    .option('--kms-key-id <id>', 'sse-kms: the KMS key (id, ARN, alias/name or alias ARN)')
    .option('--sse-c-key-file <file>', 'sse-c-key: a file holding your 256-bit key')
    .option('--remember-key', 'sse-c-key: keep the key in the vault instead of reading the file at each start')
    .option('--store <store>', '"embedded" or the https:// URL of an S3 endpoint', 'embedded')
    .option('--bucket <bucket>', 'bucket name (default: named after the folder)')
    .option('--prefix <prefix>', 'key prefix inside the bucket, ending in /')
    .option('--region <region>', 'region of a remote store', 'us-east-1')
    .option('--path-style', 'path-style addressing for a remote store (MinIO, Ceph)')
    .option('--ca-cert <file>', 'PEM of the CA (or self-signed certificate) the remote store uses')
    .option('--insecure-tls', 'accept any certificate from the remote store (test rigs only)')
    .option('--access-key <id>', 'remote access key (default AWS_ACCESS_KEY_ID)')
    .option('--secret-key <secret>', 'remote secret key (default AWS_SECRET_ACCESS_KEY)')
    .option('--json', 'print JSON')
    .action(async (path: string, o: AddOptions) => {
      const request = requestOf(path, o);
      const live = await viaAgent(o.dataDir, 'folders.add', request);
      if (live) return printFolders(io, [live], o.json);
      const settings = await withVault(o.dataDir, process.env, true, (vault) => addFolderRecord(vault, request, o.dataDir, process.env));
      if (o.json) return io.out(JSON.stringify(settings));
      io.out(`Added ${settings.localPath} (id ${settings.id}): bucket ${settings.bucket}, mode ${settings.mode}. It syncs when the agent runs (coffer agent --data-dir ${o.dataDir}).`);
    });

  folder
    .command('list')
    .description('list synced folders with their state')
    .requiredOption('--data-dir <dir>', 'the agent data directory')
    .option('--json', 'print JSON')
    .action(async (o: { dataDir: string; json?: boolean }) => {
      const status = (await viaAgent(o.dataDir, 'status.get', {})) ?? offlineStatus(o.dataDir);
      printFolders(io, status.folders, o.json);
    });

  for (const [name, channel, done] of [
    ['pause', 'folders.pause', 'Paused'],
    ['resume', 'folders.resume', 'Resumed'],
  ] as const) {
    folder
      .command(`${name} [folder-id]`)
      .description(`${name} one folder, or all of them`)
      .requiredOption('--data-dir <dir>', 'the agent data directory')
      .action(async (folderId: string | undefined, o: { dataDir: string }) => {
        const live = await viaAgent(o.dataDir, channel, folderId ? { folderId } : {});
        if (live === undefined) {
          await withVault(o.dataDir, process.env, false, (vault) => {
            const records = vault.folders.list();
            if (folderId && !records.some((r) => r.id === folderId)) throw new Error(`no folder with id ${folderId}`);
            for (const record of records) {
              if (folderId && record.id !== folderId) continue;
              const document = JSON.parse(record.settings) as Record<string, unknown>;
              vault.folders.update(record.id, { settings: JSON.stringify({ ...document, paused: name === 'pause' }) });
            }
          });
        }
        io.out(`${done} ${folderId ?? 'all folders'}.`);
      });
  }

  folder
    .command('remove <folder-id>')
    .description('stop syncing a folder (its files and its objects are left as they are)')
    .requiredOption('--data-dir <dir>', 'the agent data directory')
    .action(async (folderId: string, o: { dataDir: string }) => {
      const live = await viaAgent(o.dataDir, 'folders.remove', { folderId });
      if (live === undefined) {
        await withVault(o.dataDir, process.env, false, (vault) => {
          if (!vault.folders.list().some((r) => r.id === folderId)) throw new Error(`no folder with id ${folderId}`);
          const index = LocalIndex.open(o.dataDir);
          try {
            index.removeFolder(folderId);
          } finally {
            index.close();
          }
          vault.folders.remove(folderId);
        });
      }
      io.out(`Removed folder ${folderId}; its local files and stored objects are untouched.`);
    });

  registerSetModeCommand(folder, io);

  folder
    .command('approve-deletions <folder-id>')
    .description('let a folder carry out deletions that exceeded the safety threshold')
    .requiredOption('--data-dir <dir>', 'the agent data directory')
    .action(async (folderId: string, o: { dataDir: string }) => {
      const live = await viaAgent(o.dataDir, 'folders.approveDeletions', { folderId });
      if (live === undefined) throw new Error('no agent is running for this data directory; start it with coffer agent');
      io.out(`Deletions approved for ${folderId}.`);
    });

  program
    .command('status')
    .description('per folder: state, pending transfers, last sync, errors')
    .requiredOption('--data-dir <dir>', 'the agent data directory')
    .option('--json', 'print JSON')
    .action(async (o: { dataDir: string; json?: boolean }) => {
      const live = await viaAgent(o.dataDir, 'status.get', {});
      const status = live ?? offlineStatus(o.dataDir);
      if (o.json) return io.out(JSON.stringify({ agentRunning: live !== undefined, ...status }));
      io.out(`Agent: ${live ? 'running' : 'not running'}   vault: ${status.vault.exists ? (status.vault.unlocked ? 'unlocked' : 'locked') : 'none'}`);
      printFolders(io, status.folders, false);
    });

  program
    .command('sync-now [folder-id]')
    .description('sync one folder, or all, now; returns when the cycle is done (with no agent running, runs one cycle in this process)')
    .requiredOption('--data-dir <dir>', 'the agent data directory')
    .action(async (folderId: string | undefined, o: { dataDir: string }) => {
      const printProgress = (folders: readonly FolderStatus[]): void => {
        for (const line of folders.map(progressLine)) if (line !== undefined) io.out(line);
      };
      // Long syncs show their progress every few seconds while the call waits for the cycle to end.
      const ticker = setInterval(() => {
        void viaAgent(o.dataDir, 'status.get', {})
          .then((status) => printProgress(status?.folders.filter((f) => !folderId || f.id === folderId) ?? []))
          .catch(() => undefined);
      }, PROGRESS_INTERVAL_MS);
      let after: FolderStatus[] | undefined;
      try {
        const live = await viaAgent(o.dataDir, 'folders.syncNow', folderId ? { folderId } : {});
        if (live !== undefined) after = (await viaAgent(o.dataDir, 'status.get', {}))?.folders.filter((f) => !folderId || f.id === folderId);
      } finally {
        clearInterval(ticker);
      }
      // No agent: one cycle here, with the agent's own code. Either way a folder that could not sync fails the command.
      const report = syncReport(after ?? (await syncOnce(o.dataDir, folderId, process.env, printProgress)));
      for (const note of report.notes) io.out(note);
      if (report.failures.length > 0) throw new Error(`not everything synced:\n${report.failures.join('\n')}`);
      io.out('Sync done.');
    });
}
