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
  })
  .strict();

export type AgentConfig = z.infer<typeof agentConfigSchema>;

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
