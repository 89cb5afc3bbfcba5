// `coffer agent`: runs the vault, the embedded store and every folder in the foreground until Ctrl-C.
import type { Command } from 'commander';
import { z } from 'zod';
import { createLogger } from '../logger.js';
import { waitForSignal } from '../store/waitForSignal.js';
import { progressLine } from '../folders/formatStatus.js';
import { Agent } from './agent.js';
import { agentStatus } from './agentHandlers.js';

/** The banner's last line: scripts (and tests) wait for it. */
export const AGENT_READY_LINE = 'Coffer agent is running. Press Ctrl-C to stop.';
const PROGRESS_INTERVAL_MS = 5000;

const port = z.coerce.number().int('must be a whole number').min(0).max(65_535);
const optionsSchema = z.object({
  dataDir: z.string().min(1),
  storePort: port.optional(),
  storeHttpsPort: port.optional(),
  apiPort: port.optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export function registerAgentCommand(program: Command, io: { out: (line: string) => void }): void {
  program
    .command('agent')
    .description('run the headless agent: the vault, the embedded store and every synced folder')
    .requiredOption('--data-dir <dir>', 'the agent data directory (vault, index, store)')
    .option('--store-port <port>', 'embedded store HTTP port (default 9000; 0 picks a free one)')
    .option('--store-https-port <port>', 'embedded store HTTPS port (default 9443; 0 picks a free one)')
    .option('--api-port <port>', 'control API port on 127.0.0.1 (default: a free one)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent', 'info')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new Error(`--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue.message}`);
      }
      const options = parsed.data;
      const logger = createLogger(options.logLevel);
      const agent = await Agent.start({ ...options, env: process.env, logger });
      const store = agent.store;
      // Listen before saying "ready": a Ctrl-C sent the moment the line appears must stop cleanly.
      const stopRequested = waitForSignal();
      io.out('Coffer agent');
      io.out(`  Data directory: ${agent.dataDir}`);
      io.out(`  Vault: ${agent.vault ? (agent.vault.isUnlocked ? 'unlocked' : 'locked (unlock it in the browser UI or with coffer vault unlock)') : 'none yet (create it in the browser UI or with coffer vault init)'}`);
      if (store) {
        io.out(`  Embedded store: ${store.running.httpUrl}${store.running.httpsUrl ? `  ${store.running.httpsUrl}` : ''}`);
        if (store.tls) io.out(`  Store TLS certificate SHA-256 fingerprint: ${store.tls.fingerprint256}`);
        io.out(`  Store access key: ${store.credentials.accessKeyId} (secret in ${agent.dataDir}/store/credentials.json, mode 0600)`);
      }
      io.out(`  Control API: ${agent.apiUrl} (token in ${agent.dataDir}/agent.token)`);
      io.out(`  Open Coffer in a browser on this machine: ${agent.uiUrl}`);
      io.out(`  Folders: ${agent.folders.size}`);
      io.out(AGENT_READY_LINE);
      // Long work (a first scan, large uploads) shows on the agent's terminal too.
      const ticker = setInterval(() => {
        for (const folder of agentStatus(agent).folders) {
          const line = progressLine(folder);
          if (line) io.out(line);
        }
      }, PROGRESS_INTERVAL_MS);
      ticker.unref();
      await stopRequested;
      clearInterval(ticker);
      io.out('Stopping: finishing transfers in flight...');
      await agent.stop();
      io.out('Stopped.');
    });
}
