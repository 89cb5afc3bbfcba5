// The CLI loads only the module of the command it runs: the table matches what each module registers,
// and a real `coffer store` process never loads the AWS SDK or the certificate library.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { ALL_COMMAND_MODULES, COMMAND_MODULE, commandModulesFor } from '../../main/agent/cli/commandTable.js';

const CLI_MAIN = pathToFileURL(resolve('dist/main/agent/cli/main.js')).href;

/** Runs the built CLI in a fresh Node process with `args`, and returns the packages it loaded through require. */
function packagesLoadedBy(args: readonly string[]): Promise<string[]> {
  const script = `
    import { createRequire } from 'node:module';
    const { runCli } = await import(${JSON.stringify(CLI_MAIN)});
    await runCli(['node', 'coffer', ...${JSON.stringify(args)}], { out() {} });
    const cache = createRequire(import.meta.url).cache;
    const names = new Set(Object.keys(cache).filter((p) => p.includes('node_modules')).map((p) => {
      const rest = p.split('node_modules/').pop().split('/');
      return rest[0].startsWith('@') ? rest[0] + '/' + rest[1] : rest[0];
    }));
    process.stderr.write('\\n' + JSON.stringify([...names].sort()));
  `;
  return new Promise((done, fail) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 }, (err, _stdout, stderr) => {
      const last = stderr.trim().split('\n').at(-1) ?? '';
      if (err && !last.startsWith('[')) return fail(new Error(`${err.message}\n${stderr}`));
      done(JSON.parse(last) as string[]);
    });
  });
}

describe('coffer command table', () => {
  it('names every top-level command each module registers, and nothing else', async () => {
    const registered = new Map<string, unknown>();
    for (const load of ALL_COMMAND_MODULES) {
      const program = new Command('coffer');
      (await load())(program, { out() {} });
      for (const command of program.commands) registered.set(command.name(), load);
    }
    expect([...registered.keys()].sort()).toEqual(Object.keys(COMMAND_MODULE).sort());
    for (const [name, load] of registered) expect(COMMAND_MODULE[name], name).toBe(load);
  });

  it('loads one module for a known command, all of them for help, typos and nothing', () => {
    expect(commandModulesFor('store')).toEqual([COMMAND_MODULE.store]);
    expect(commandModulesFor('sync-now')).toEqual([COMMAND_MODULE.folder]);
    for (const first of [undefined, '--help', 'stor', 'constructor', 'toString']) expect(commandModulesFor(first)).toBe(ALL_COMMAND_MODULES);
  });

  it('a store process loads neither the AWS SDK nor the certificate library; the full CLI does', async () => {
    const store = await packagesLoadedBy(['store', '--help']);
    expect(store).toContain('better-sqlite3');
    expect(store.filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@peculiar/'))).toEqual([]);
    const everything = await packagesLoadedBy(['--help']);
    expect(everything).toContain('@aws-sdk/client-s3');
  });
});
