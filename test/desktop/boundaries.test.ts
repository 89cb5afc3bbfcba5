// Where Electron may be imported: main/desktop's binding files and preload/index.ts only; the renderer takes only contract types.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs|svelte)$/;

function filesUnder(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(ROOT, dir));
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(join(ROOT, path)).isDirectory() ? filesUnder(path) : SOURCE.test(name) ? [path.split(sep).join('/')] : [];
  });
}

interface ImportLine {
  specifier: string;
  typeOnly: boolean;
}

/** Every module a source file names: static imports and re-exports, side-effect imports, import() and require(). */
function importsOf(file: string): ImportLine[] {
  // Comments are dropped first: a comment that mentions require('electron') imports nothing.
  const text = readFileSync(join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`\w\\])\/\/.*$/gm, '$1');
  const found: ImportLine[] = [];
  for (const m of text.matchAll(/(?:^|[\n;])\s*(import|export)\s+(type\s+)?([^'";]*?)\s+from\s+['"]([^'"]+)['"]/g)) {
    const clause = m[3]!;
    const named = /^\{([^}]*)\}$/.exec(clause.trim());
    const everyNameTyped = named !== null && named[1]!.split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '));
    found.push({ specifier: m[4]!, typeOnly: m[2] !== undefined || everyNameTyped });
  }
  for (const m of text.matchAll(/(?:^|[\n;])\s*import\s+['"]([^'"]+)['"]/g)) found.push({ specifier: m[1]!, typeOnly: false });
  for (const m of text.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ specifier: m[1]!, typeOnly: false });
  return found;
}

const importsElectron = (file: string, runtimeOnly: boolean): boolean =>
  importsOf(file).some((i) => (i.specifier === 'electron' || i.specifier.startsWith('electron/')) && !(runtimeOnly && i.typeOnly));

describe('the import parser used below', () => {
  it('sees every form of import, and tells type-only ones apart', () => {
    // Guards the guards: if this parser went blind, the checks below would pass on anything.
    const here = importsOf('test/desktop/boundaries.test.ts');
    expect(here).toContainEqual({ specifier: 'node:fs', typeOnly: false });
    expect(importsOf('preload/index.ts')).toContainEqual({ specifier: 'electron', typeOnly: false });
    expect(importsOf('test/desktop/preloadBundle.test.ts').map((i) => i.specifier)).not.toContain('electron');
    expect(importsOf('main/desktop/windowOptions.ts')).toEqual([{ specifier: 'electron', typeOnly: true }]);
    expect(importsOf('main/desktop/main.ts')).toContainEqual({ specifier: '../agent/runtime/agent.js', typeOnly: false });
    expect(importsOf('main/desktop/trayModel.ts')).toContainEqual({ specifier: '../../preload/contract.js', typeOnly: true });
  });
});

describe('Electron imports', () => {
  it('appear nowhere outside main/desktop/ and preload/', () => {
    const outside = [...filesUnder('main'), ...filesUnder('renderer'), ...filesUnder('test'), ...filesUnder('bin')].filter(
      (file) => !file.startsWith('main/desktop/') && importsElectron(file, false),
    );
    expect(outside).toEqual([]);
  });

  it('at run time, only in the binding files of main/desktop and in preload/index.ts', () => {
    const desktop = filesUnder('main/desktop').filter((file) => importsElectron(file, true));
    expect(desktop.sort()).toEqual(['main/desktop/hardening.ts', 'main/desktop/main.ts', 'main/desktop/mainWindow.ts', 'main/desktop/safeStorageSealer.ts', 'main/desktop/trayController.ts']);
    expect(filesUnder('preload').filter((file) => importsElectron(file, true))).toEqual(['preload/index.ts']);
  });

  it('put the one raw ipcMain.handle in ipcBinding.ts', () => {
    const handles = [...filesUnder('main'), ...filesUnder('preload')].filter((file) => /\bipcMain\s*\.\s*(handle|handleOnce|on|once)\s*\(/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(handles).toEqual(['main/desktop/ipcBinding.ts']);
  });
});

describe('the renderer', () => {
  it('takes only types from preload/contract.ts, and nothing from main/ or Electron', () => {
    const problems: string[] = [];
    for (const file of filesUnder('renderer')) {
      for (const { specifier, typeOnly } of importsOf(file)) {
        const target = specifier.startsWith('.') ? relative(ROOT, join(ROOT, file, '..', specifier)).split(sep).join('/') : specifier;
        if (target.startsWith('preload/') && (!typeOnly || !/^preload\/contract(\.js|\.ts)?$/.test(target))) problems.push(`${file}: ${specifier}`);
        if (target.startsWith('main/') || target === 'electron') problems.push(`${file}: ${specifier}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
