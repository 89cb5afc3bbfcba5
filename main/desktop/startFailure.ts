// The message shown when the agent cannot start inside the desktop app, with the fix when one is known.

/**
 * A sentence for the error dialog. A native module built for Node instead of this Electron
 * (NODE_MODULE_VERSION mismatch, as after `npm install` without a rebuild) and a port already taken
 * get their fix; anything else shows its message.
 */
export function describeStartFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (message.includes('NODE_MODULE_VERSION') || message.includes('was compiled against a different Node.js version')) {
    return 'better-sqlite3 is built for Node.js, not for this Electron. Run `npx electron-rebuild -f -w better-sqlite3` ' +
      '(and `npm rebuild better-sqlite3` before running the tests under Node again); a packaged app is rebuilt by electron-builder.';
  }
  if ((err as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE' || message.includes('EADDRINUSE')) {
    return `A port Coffer needs is in use; another Coffer agent may be running on this data directory. (${message})`;
  }
  return `The Coffer agent could not start: ${message}`;
}
