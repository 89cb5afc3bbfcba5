// The `coffer` command line: parses arguments and dispatches to the agent's commands.
import { Command, CommanderError } from 'commander';
import { NO_AUDIT } from '../../core/audit/auditEvent.js';
import { registerAuditCommands } from '../audit/auditCommands.js';
import { createLogger } from '../logger.js';
import { registerKmsCommands } from '../kms/kmsCommands.js';
import { listMasterKeys, rotateMasterKey } from '../store/masterKeyCommands.js';
import { parseStoreCommandOptions } from '../store/storeCommandOptions.js';
import { runStore } from '../store/runStore.js';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function buildProgram(io: { out: (line: string) => void }): Command {
  const program = new Command('coffer')
    .description('Coffer: encrypted folder sync with an embedded S3-compatible store')
    .exitOverride()
    .enablePositionalOptions()
    .showHelpAfterError();

  const store = program
    .command('store')
    .description('run the embedded S3-compatible store (SSE-S3 and SSE-C, encrypted at rest)')
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
    .option('--master-key-rotation-days <days>', 'rotate the SSE-S3 master key when older than this', '90')
    .option('--virtual-host-domain <domain>', 'domain for virtual-hosted-style requests, <bucket>.<domain> (repeatable; default s3.localhost and localhost)', collect)
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent', 'info')
    .action(async (raw: Record<string, unknown>) => {
      const options = parseStoreCommandOptions(raw);
      const logger = createLogger(options.logLevel);
      const { running, banner } = await runStore(options, logger);
      for (const line of banner) io.out(line);
      await waitForSignal();
      io.out('Stopping: finishing in-flight requests...');
      await running.close();
      io.out('Stopped.');
    });

  store
    .command('rotate-master-key')
    .description('add a new SSE-S3 master key version; older versions stay to read older objects')
    .requiredOption('--data-dir <dir>', 'the store data directory')
    .action((opts: { dataDir: string }) => {
      const { version, previous } = rotateMasterKey(opts.dataDir);
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

  registerKmsCommands(program, { ...io, audit: NO_AUDIT });
  registerAuditCommands(program, io);

  return program;
}

/** Resolves on the first Ctrl-C or SIGTERM; a second one exits at once. */
function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (): void => {
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: readonly string[], io = { out: (line: string) => void process.stdout.write(`${line}\n`) }): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    process.stderr.write(`coffer: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
