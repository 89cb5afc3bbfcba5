// Where the desktop app keeps its data: --data-dir, then COFFER_DATA_DIR, then a folder in the OS's per-user app data.
import { join, resolve } from 'node:path';

/**
 * The data directory, absolute: `--data-dir <dir>` or `--data-dir=<dir>` among `argv` (relative to
 * `cwd`), else COFFER_DATA_DIR, else `<userDataDir>/data`. A --data-dir with no value is ignored.
 */
export function desktopDataDir(argv: readonly string[], env: NodeJS.ProcessEnv, userDataDir: string, cwd: string): string {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg.startsWith('--data-dir=') && arg.length > '--data-dir='.length) return resolve(cwd, arg.slice('--data-dir='.length));
    const next = argv[i + 1];
    if (arg === '--data-dir' && next !== undefined && !next.startsWith('--')) return resolve(cwd, next);
  }
  if (env.COFFER_DATA_DIR) return resolve(cwd, env.COFFER_DATA_DIR);
  return join(userDataDir, 'data');
}
