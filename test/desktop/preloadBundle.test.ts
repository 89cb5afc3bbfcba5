// The preload as the sandbox loads it: one CommonJS file that requires only 'electron' and exposes window.coffer once.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../preload/contract.js';

let outDir: string;
let code: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'coffer-preload-'));
  await build({ configFile: join(process.cwd(), 'preload', 'vite.config.mjs'), logLevel: 'silent', build: { outDir } });
  code = readFileSync(join(outDir, 'index.cjs'), 'utf8');
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Runs the bundle in a fresh context with a stand-in for the sandbox's `require('electron')`. */
function load() {
  const required: string[] = [];
  const exposed: [string, unknown][] = [];
  const invoked: unknown[][] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void exposed.push([key, api]) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return { ok: true, value: null };
      },
    },
  };
  const module = { exports: {} };
  runInNewContext(code, {
    module,
    exports: module.exports,
    require: (id: string) => {
      required.push(id);
      if (id === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${id}`);
    },
  });
  return { required, exposed, invoked };
}

describe('the preload bundle', () => {
  it('is the only file built, CommonJS, with no import statement left', () => {
    expect(readdirSync(outDir)).toEqual(['index.cjs']);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toMatch(/import\(/);
  });

  it("requires 'electron' and nothing else", () => {
    const requires = [...code.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(load().required).toEqual(['electron']);
  });

  it('exposes one API, as window.coffer, with a method per contract channel', () => {
    const { exposed } = load();
    expect(exposed.map(([key]) => key)).toEqual(['coffer']);
    const api = exposed[0]![1] as Record<string, Record<string, unknown>>;
    const members = Object.entries(api).flatMap(([group, methods]) => Object.keys(methods).map((m) => `${group}.${m}`));
    expect(members.sort()).toEqual([...CHANNELS].sort());
  });

  it('sends each call on its coffer: channel with only the request, and returns the envelope', async () => {
    const { exposed, invoked } = load();
    const api = exposed[0]![1] as { folders: { remove: (r: unknown) => Promise<unknown> }; status: { get: () => Promise<unknown> } };
    expect(await api.folders.remove({ folderId: 'f-0000001' })).toEqual({ ok: true, value: null });
    expect(await api.status.get()).toEqual({ ok: true, value: null });
    expect(invoked).toEqual([
      ['coffer:folders.remove', { folderId: 'f-0000001' }],
      ['coffer:status.get', {}],
    ]);
  });
});
