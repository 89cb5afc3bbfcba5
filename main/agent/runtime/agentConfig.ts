// The agent's config file (config.json in the data dir): validated, with the line and reason of any mistake.
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

export const CONFIG_FILE = 'config.json';

const port = z.number().int().min(0).max(65_535);

export const agentConfigSchema = z
  .object({
    /** Names this device in conflict file names and the access history. */
    deviceName: z.string().min(1).max(64).default(hostname()),
    storePort: port.default(9000),
    storeHttpsPort: port.default(9443),
    /** 0 picks a free port; the URL is printed and written to agent.json. */
    apiPort: port.default(0),
    /** How often each folder lists the store for other devices' changes. */
    remotePollSeconds: z.number().min(0.2).max(86_400).default(15),
    /** Quiet time after the last change to a file before it is synced. */
    quietMs: z.number().int().min(0).max(60_000).default(300),
    transfersPerFolder: z.number().int().min(1).max(64).default(4),
    /** Bandwidth limits in KiB/s; 0 means unlimited. */
    uploadKiBps: z.number().min(0).default(0),
    downloadKiBps: z.number().min(0).default(0),
    watch: z.boolean().default(true),
    /**
     * Serve the embedded store on a thread of its own, so syncing and serving use two cores: many
     * small files sync about a third faster, at the cost of a second JavaScript heap (about 70 MB
     * more at the peak of a multi-GiB transfer). Read at start.
     */
    storeThread: z.boolean().default(false),
    /** Desktop app only: open it when the user logs in. */
    startAtLogin: z.boolean().default(false),
    /** Desktop notifications for conflicts, errors and finished jobs. */
    notifications: z.boolean().default(true),
    /** Lock the vault after this many minutes without a request from the user; 0 never does. */
    lockAfterIdleMinutes: z.number().int().min(0).max(10_080).default(0),
    /** Desktop app only: keep the passphrase sealed by the OS key store and unlock with it at start. */
    rememberUnlock: z.boolean().default(false),
    theme: z.enum(['system', 'light', 'dark']).default('system'),
  })
  .strict();

export type AgentConfig = z.infer<typeof agentConfigSchema>;

/** The keys a config file may set, each optional (the schema fills in the rest). */
export type AgentConfigKeys = z.input<typeof agentConfigSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function lineOfOffset(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** The line where a key path appears (best effort: the first occurrence of its last name). */
function lineOfPath(text: string, path: readonly PropertyKey[]): number | undefined {
  const last = path.filter((p) => typeof p === 'string').at(-1);
  if (last === undefined) return undefined;
  const at = text.indexOf(`"${String(last)}"`);
  return at < 0 ? undefined : lineOfOffset(text, at);
}

/** Parses config text; ConfigError says `config.json line N: <field> <reason>`. */
export function parseAgentConfig(text: string, label = CONFIG_FILE): AgentConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const position = /position (\d+)/.exec((err as Error).message);
    const line = position ? lineOfOffset(text, Number(position[1])) : undefined;
    throw new ConfigError(`${label}${line ? ` line ${line}` : ''}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = agentConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // An unknown key is reported on the object that holds it: point at the key itself.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  const line = lineOfPath(text, path);
  const field = path.length > 0 ? path.join('.') : 'config';
  throw new ConfigError(`${label}${line ? ` line ${line}` : ''}: ${field}: ${issue.message}`);
}

/** The data dir's config, or the defaults when there is no file. */
export function loadAgentConfig(dataDir: string): AgentConfig {
  const file = join(dataDir, CONFIG_FILE);
  if (!existsSync(file)) return agentConfigSchema.parse({});
  return parseAgentConfig(readFileSync(file, 'utf8'), file);
}

/**
 * The keys config.json sets itself, as written (no defaults filled in), once the file has passed
 * parseAgentConfig; {} when there is no file. For rewriting the file without pinning every default.
 * ConfigError as parseAgentConfig.
 */
export function loadAgentConfigKeys(dataDir: string): AgentConfigKeys {
  const file = join(dataDir, CONFIG_FILE);
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  parseAgentConfig(text, file);
  return JSON.parse(text) as AgentConfigKeys;
}
