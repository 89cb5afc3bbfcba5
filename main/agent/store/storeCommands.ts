// `coffer store` and its subcommands: run the embedded store, rotate and list master keys, re-seal objects.
import type { Command } from 'commander';
import { limitOldGenerationGrowth } from '../../core/threads/oldGenerationGrowth.js';
import { collectSpentBuffers } from '../../core/threads/spentBuffers.js';
import { createLogger } from '../logger.js';
import { listMasterKeys, rotateMasterKey } from './masterKeyCommands.js';
import { runReseal } from './resealCommand.js';
import { runStore } from './runStore.js';
import { parseStoreCommandOptions } from './storeCommandOptions.js';
import { waitForSignal } from './waitForSignal.js';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function registerStoreCommands(program: Command, io: { out: (line: string) => void }): void {
  const store = program
    .command('store')
    .description('run the embedded S3-compatible store (SSE-S3, SSE-KMS and SSE-C, encrypted at rest)')
    .enablePositionalOptions()
    .option('--data-dir <dir>', 'directory for objects, keys and the TLS certificate (required)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'HTTP port (0 picks a free one)', '9000')
    .option('--https-port <port>', 'HTTPS port (0 picks a free one)', '9443')
    .option('--no-https', 'serve plain HTTP only (SSE-C then needs --allow-insecure-sse-c)')
    .option('--region <region>', 'region the store answers as', 'us-east-1')
    .option('--tls-cert <file>', 'your own TLS certificate (PEM) instead of the self-signed one')
    .option('--tls-key <file>', 'the private key (PEM) of --tls-cert')
    .option('--allow-insecure-sse-c', 'accept SSE-C over plain HTTP (test rigs only)', false)
    .option('--block-sse-c-on-new-buckets', 'create buckets that refuse SSE-C writes until unblocked (AWS default since 2026)', false)
    .option('--master-key-rotation-days <days>', 'rotate the SSE-S3 master key when older than this', '90')
    .option('--virtual-host-domain <domain>', 'domain for virtual-hosted-style requests, <bucket>.<domain> (repeatable; default s3.localhost and localhost)', collect)
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent', 'info')
    .option('--audit-retention-days <days>', 'prune access-history events older than this, daily (default: keep all)')
    .option('--no-audit', 'keep no access history (only for measuring its cost)')
    .option('--no-direct-io', 'write large objects through the page cache instead of with O_DIRECT')
    .action(async (raw: Record<string, unknown>) => {
      const options = parseStoreCommandOptions(raw);
      const logger = createLogger(options.logLevel);
      collectSpentBuffers();
      limitOldGenerationGrowth();
      const { running, banner } = await runStore(options, logger);
      // Listen before printing the ready line: a Ctrl-C sent the moment it appears must stop cleanly.
      const stopRequested = waitForSignal();
      for (const line of banner) io.out(line);
      await stopRequested;
      io.out('Stopping: finishing in-flight requests...');
      await running.close();
      io.out('Stopped.');
    });

  store
    .command('rotate-master-key')
    .description('add a new SSE-S3 master key version; older versions stay to read older objects')
    .requiredOption('--data-dir <dir>', 'the store data directory')
    .action(async (opts: { dataDir: string }) => {
      const { version, previous } = await rotateMasterKey(opts.dataDir);
      io.out(`Store master key rotated: version ${previous ?? 0} -> ${version}. New objects use version ${version}; no data was re-encrypted.`);
    });

  store
    .command('list-master-keys')
    .description('list the SSE-S3 master key versions (ids and dates, never key bytes)')
    .requiredOption('--data-dir <dir>', 'the store data directory')
    .option('--json', 'print JSON', false)
    .action((opts: { dataDir: string; json: boolean }) => {
      const versions = listMasterKeys(opts.dataDir);
      if (opts.json) io.out(JSON.stringify(versions.map((v) => ({ version: v.version, createdAt: v.createdAt.toISOString() }))));
      else for (const v of versions) io.out(`version ${v.version}  created ${v.createdAt.toISOString()}`);
    });

  store
    .command('reseal')
    .description('move object keys to the newest SSE-S3 master key version and to each KMS key\'s newest material (data untouched)')
    .requiredOption('--data-dir <dir>', 'the store data directory')
    .option('--region <region>', 'the region the store answers as (its KMS keys belong to it)', 'us-east-1')
    .action(async (opts: { dataDir: string; region: string }) => {
      const result = await runReseal(opts.dataDir, opts.region, (p) => io.out(`  ${p.scanned}/${p.total} looked at, ${p.resealed} re-sealed`));
      io.out(`Re-sealed ${result.resealed} of ${result.total}; ${result.skipped} already current or SSE-C, ${result.failed} could not be opened.`);
      if (result.failed > 0) throw new Error(`${result.failed} objects could not be re-sealed (a disabled or deleted KMS key, or a damaged row); see coffer audit list`);
    });

}
