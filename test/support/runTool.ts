// Runs a third-party CLI (aws, rclone, python3) as a child process and hands back what it did, logging nothing.
import { execFile } from 'node:child_process';

export interface ToolResult {
  /** Exit code; null when the process was killed (see `signal`). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunToolOptions {
  /** The child's whole environment: nothing of the test runner's is inherited (no user config, no AWS_CA_BUNDLE). */
  env: Record<string, string>;
  cwd?: string;
  /** Killed (SIGKILL) after this long; generous, since CI machines are slow. */
  timeoutMs?: number;
  /** Strings (keys, secrets) replaced by *** in the returned output, should a tool ever echo one. */
  redact?: readonly string[];
}

const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('***');
  return out;
}

/**
 * Always asynchronous: the store under test may live in this very process, and a synchronous
 * child would block the event loop that has to answer it. Never rejects; a failed start is code null.
 */
export function runTool(file: string, args: readonly string[], options: RunToolOptions): Promise<ToolResult> {
  const secrets = options.redact ?? [];
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: options.env, cwd: options.cwd, timeout: options.timeoutMs ?? 180_000, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const failure = error as (NodeJS.ErrnoException & { code?: number | string; signal?: NodeJS.Signals | null }) | null;
        const code = failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null;
        // A spawn failure (ENOENT) has no output of its own; say so without echoing arguments, which may hold keys.
        const spawnError = failure !== null && typeof failure.code === 'string' ? `could not start ${file}: ${failure.code}\n` : '';
        resolve({
          code,
          signal: failure?.signal ?? null,
          stdout: scrub(stdout, secrets),
          stderr: scrub(spawnError + stderr, secrets),
        });
      },
    );
  });
}

/** One line for an assertion message: exit status and the tail of stderr (never the arguments). */
export function describeRun(result: ToolResult): string {
  const tail = result.stderr.trim().split('\n').slice(-8).join('\n');
  return `exit ${result.code ?? `signal ${result.signal}`}; stderr: ${tail || '(empty)'}`;
}
