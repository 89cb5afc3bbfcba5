// The packaging set-up: electron-builder's own schema accepts the config, the entry points exist, the icons match the SVG.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const require = createRequire(import.meta.url);

interface BuilderConfig {
  appId?: string;
  files?: { filter?: string[] }[];
  asarUnpack?: string[];
  npmRebuild?: boolean;
  linux?: { target?: string[]; icon?: string };
  mac?: { target?: string; icon?: string };
  win?: { target?: string; icon?: string };
  electronFuses?: Record<string, boolean>;
}

/** electron-builder.yml as electron-builder reads it (its loader), checked against its schema. */
async function builderConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
    getConfig: (dir: string, path: null, extra: null) => Promise<BuilderConfig>;
    validateConfiguration: (config: BuilderConfig, logger: unknown) => Promise<void>;
  };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  const config = await getConfig(ROOT, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

describe('electron-builder.yml', () => {
  it('passes electron-builder validation and builds AppImage, deb, dmg and nsis', async () => {
    const config = await builderConfig();
    expect(config.appId).toBe('app.coffer.desktop');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toBe('dmg');
    expect(config.win?.target).toBe('nsis');
  });

  it('rebuilds better-sqlite3 for Electron and keeps it out of the asar archive', async () => {
    const config = await builderConfig();
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**');
  });

  it('packs the compiled app and the tray icon, and uses the 512x512 icon on every platform', async () => {
    const config = await builderConfig();
    const filters = config.files?.flatMap((f) => f.filter ?? []) ?? [];
    expect(filters).toEqual(expect.arrayContaining(['dist/**', '!dist/test/**', 'package.json', 'resources/tray.png']));
    for (const platform of [config.linux, config.mac, config.win]) expect(platform?.icon).toBe('resources/icon.png');
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, onlyLoadAppFromAsar: true });
  });
});

describe('package.json', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };

  it('points "main" at the compiled desktop main process', () => {
    expect(pkg.main).toBe('dist/main/desktop/main.js');
  });

  it('bundles the preload before starting or packaging', () => {
    expect(pkg.scripts.start).toMatch(/^npm run build && .*vite build -c preload\/vite\.config\.mjs && .*node bin\/start\.js$/);
    expect(pkg.scripts.dist).toMatch(/^npm run build && .*vite build -c preload\/vite\.config\.mjs && .*electron-builder$/);
  });
});

describe('the icons', () => {
  it('are the current rendering of resources/icon.svg, at 512x512 for the installers', async () => {
    await promisify(execFile)(process.execPath, [join(ROOT, 'resources', 'renderIcons.mjs'), '--check']);
    const png = readFileSync(join(ROOT, 'resources', 'icon.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });
});
