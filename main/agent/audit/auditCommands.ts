// The `coffer audit` commands (list, export, verify, prune): flags and output, registered on the CLI's program.
import type { Command } from 'commander';
import { formatAuditRecord } from './formatAuditRecord.js';
import { parseAuditFilter, parseAuditPage, parsePruneOptions } from './auditCommandOptions.js';
import { describeVerified, exportAudit, exportAuditToFile, listAudit, pruneAudit, verifyAudit } from './auditActions.js';

export interface AuditCommandIo {
  out: (line: string) => void;
  /** Where `export` streams JSON lines without --output (default process.stdout). */
  stdout?: NodeJS.WritableStream;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function withFilters(command: Command): Command {
  return command
    .requiredOption('--data-dir <dir>', 'the store data directory')
    .option('--since <time>', 'events at or after this ISO-8601 time')
    .option('--until <time>', 'events before this ISO-8601 time')
    .option('--category <category>', 's3, kms, admin or sync')
    .option('--operation <name>', 'operation, e.g. PutObject or Decrypt (repeatable, or a comma list)', collect)
    .option('--bucket <bucket>', 'events on this bucket')
    .option('--prefix <prefix>', 'object keys starting with this')
    .option('--principal <id>', 'the caller: an access key id, or coffer-cli')
    .option('--outcome <outcome>', 'success, failure or denied')
    .option('--key-id <id>', 'a KMS key ARN, or store-master-key')
    .option('--request-id <id>', 'one request')
    .option('--search <text>', 'case-insensitive text in the operation, bucket, key, principal, key id, request id, IP or error code');
}

export function registerAuditCommands(program: Command, io: AuditCommandIo): void {
  const audit = program.command('audit').description('the access history: who did what, with which key, and proof it was not altered');

  withFilters(audit.command('list').description('show events, newest first, a page at a time'))
    .option('--limit <n>', 'events per page (1-1000)', '50')
    .option('--cursor <cursor>', 'continue after the previous page (printed at its end)')
    .option('--oldest-first', 'oldest events first', false)
    .option('--json', 'print the page as JSON', false)
    .action((opts: Record<string, unknown> & { dataDir: string; json: boolean }) => {
      const page = listAudit(opts.dataDir, parseAuditFilter(opts), parseAuditPage(opts));
      if (opts.json) {
        io.out(JSON.stringify(page));
        return;
      }
      if (page.events.length === 0) io.out('no matching events');
      for (const record of page.events) io.out(formatAuditRecord(record));
      if (page.nextCursor) io.out(`more: add --cursor ${page.nextCursor}`);
    });

  withFilters(audit.command('export').description('write matching events as JSON lines of CloudTrail-shaped records, oldest first'))
    .option('--output <file>', 'write to this file (mode 0600) instead of stdout')
    .action(async (opts: Record<string, unknown> & { dataDir: string; output?: string }) => {
      const filter = parseAuditFilter(opts);
      if (opts.output) {
        const count = await exportAuditToFile(opts.dataDir, filter, opts.output);
        io.out(`exported ${count} events to ${opts.output}`);
      } else {
        await exportAudit(opts.dataDir, filter, io.stdout ?? process.stdout);
      }
    });

  audit
    .command('verify')
    .description('check the hash chain and signed digests; exit 1 naming the first altered, missing or reordered event')
    .requiredOption('--data-dir <dir>', 'the store data directory')
    .action((opts: { dataDir: string }) => {
      io.out(describeVerified(verifyAudit(opts.dataDir)));
    });

  audit
    .command('prune')
    .description('delete events older than N days, keeping the rest verifiable from a signed checkpoint')
    .requiredOption('--data-dir <dir>', 'the store data directory')
    .requiredOption('--older-than-days <days>', 'delete events older than this many days')
    .option('--force', 'prune even if verify finds the log broken (the pruned evidence is lost)', false)
    .action(async (opts: Record<string, unknown> & { dataDir: string }) => {
      const { olderThanDays, force } = parsePruneOptions(opts);
      const result = await pruneAudit(opts.dataDir, olderThanDays, force);
      const when = result.olderThan.toISOString();
      if (result.pruned === 0) io.out(`nothing to prune: no events older than ${when}`);
      else io.out(`pruned ${result.pruned} events older than ${when}; the chain now starts after event ${result.checkpoint!.seq}`);
      if (result.brokenAt) io.out(`warning: the log was broken at event ${result.brokenAt.seq} (${result.brokenAt.reason}); pruned anyway (--force)`);
    });
}
