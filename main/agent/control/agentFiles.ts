// The files through which the CLI finds a running agent: its token (0600) and where it listens.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/files/atomicFile.js';

export const TOKEN_FILE = 'agent.token';
export const RUNTIME_FILE = 'agent.json';

const runtimeSchema = z.object({ pid: z.number().int(), apiUrl: z.string().url(), startedAt: z.string() });
export type AgentRuntime = z.infer<typeof runtimeSchema>;

function writePrivate(file: string, text: string): void {
  writeFileAtomic(file, text, 0o600);
}

/** The control API token: made once per data dir, readable only by its owner. */
export function loadOrCreateToken(dataDir: string): string {
  const file = join(dataDir, TOKEN_FILE);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9_-]{43}$/.test(token)) return token;
  }
  const token = randomBytes(32).toString('base64url');
  writePrivate(file, `${token}\n`);
  return token;
}

export function writeRuntime(dataDir: string, runtime: AgentRuntime): void {
  writePrivate(join(dataDir, RUNTIME_FILE), `${JSON.stringify(runtime)}\n`);
}

export function removeRuntime(dataDir: string): void {
  rmSync(join(dataDir, RUNTIME_FILE), { force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running agent of a data dir, or undefined when none runs (a stale file from a crash is ignored). */
export function findRunningAgent(dataDir: string): (AgentRuntime & { token: string }) | undefined {
  const file = join(dataDir, RUNTIME_FILE);
  if (!existsSync(file)) return undefined;
  const parsed = runtimeSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success || !processAlive(parsed.data.pid)) return undefined;
  const tokenFile = join(dataDir, TOKEN_FILE);
  if (!existsSync(tokenFile)) return undefined;
  return { ...parsed.data, token: readFileSync(tokenFile, 'utf8').trim() };
}
