// Start-up decisions of the desktop app: its data directory, where its settings come from, and what to say when the agent cannot start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { desktopDataDir } from '../../main/desktop/desktopArgs.js';
import { CONFIG_FILE } from '../../main/agent/runtime/agentConfig.js';
import { DESKTOP_SETTINGS_FILE, readDesktopSettings, rememberUnlockSetting } from '../../main/desktop/desktopSettings.js';
import { describeStartFailure } from '../../main/desktop/startFailure.js';
import { folderName } from '../../main/desktop/folderName.js';

describe('the data directory', () => {
  const userData = '/home/ana/.config/Coffer';
  it('comes from --data-dir, then COFFER_DATA_DIR, then the per-user app data', () => {
    expect(desktopDataDir(['/opt/electron', '.', '--data-dir', './.coffer-data'], {}, userData, '/work')).toBe('/work/.coffer-data');
    expect(desktopDataDir(['coffer', '--data-dir=/srv/coffer'], { COFFER_DATA_DIR: '/x' }, userData, '/work')).toBe('/srv/coffer');
    expect(desktopDataDir(['coffer'], { COFFER_DATA_DIR: 'rel' }, userData, '/work')).toBe('/work/rel');
    expect(desktopDataDir(['coffer'], {}, userData, '/work')).toBe('/home/ana/.config/Coffer/data');
  });

  it('ignores a --data-dir without a value', () => {
    expect(desktopDataDir(['coffer', '--data-dir'], {}, userData, '/work')).toBe('/home/ana/.config/Coffer/data');
    expect(desktopDataDir(['coffer', '--data-dir', '--other'], {}, userData, '/work')).toBe('/home/ana/.config/Coffer/data');
    expect(desktopDataDir(['coffer', '--data-dir='], {}, userData, '/work')).toBe('/home/ana/.config/Coffer/data');
  });
});

describe('the desktop settings', () => {
  it('read an older install\'s desktop.json when it is valid, and default to not remembering the unlock', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-settings-'));
    try {
      expect(readDesktopSettings(dir)).toEqual({ rememberUnlock: false });
      writeFileSync(join(dir, DESKTOP_SETTINGS_FILE), JSON.stringify({ rememberUnlock: true }));
      expect(readDesktopSettings(dir)).toEqual({ rememberUnlock: true });
      for (const bad of ['{ not json', JSON.stringify({ rememberUnlock: 'yes' }), JSON.stringify({ rememberUnlock: true, other: 1 })]) {
        writeFileSync(join(dir, DESKTOP_SETTINGS_FILE), bad);
        expect(readDesktopSettings(dir), bad).toEqual({ rememberUnlock: false });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('take rememberUnlock from config.json when it sets it, else from desktop.json, else off', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-settings-'));
    const config = (value: object | string): void => writeFileSync(join(dir, CONFIG_FILE), typeof value === 'string' ? value : JSON.stringify(value));
    try {
      expect(rememberUnlockSetting(dir)).toBe(false);
      writeFileSync(join(dir, DESKTOP_SETTINGS_FILE), JSON.stringify({ rememberUnlock: true }));
      expect(rememberUnlockSetting(dir)).toBe(true);
      config({ deviceName: 'laptop' });
      expect(rememberUnlockSetting(dir)).toBe(true);
      config({ deviceName: 'laptop', rememberUnlock: false });
      expect(rememberUnlockSetting(dir)).toBe(false);
      writeFileSync(join(dir, DESKTOP_SETTINGS_FILE), JSON.stringify({ rememberUnlock: false }));
      config({ rememberUnlock: true });
      expect(rememberUnlockSetting(dir)).toBe(true);
      // A config.json that no longer parses is the agent's to report; the app still starts.
      config('{ "rememberUnlock": true, "quietMs": "fast" }');
      expect(rememberUnlockSetting(dir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a start failure', () => {
  it('tells how to rebuild a native module built for the wrong runtime', () => {
    const err = new Error("The module 'better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 140.");
    expect(describeStartFailure(err)).toContain('npx electron-rebuild -f -w better-sqlite3');
  });

  it('names a port in use, and otherwise gives the message', () => {
    const inUse = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:9000'), { code: 'EADDRINUSE' });
    expect(describeStartFailure(inUse)).toMatch(/^A port Coffer needs is in use/);
    expect(describeStartFailure(new Error('disk full'))).toBe('The Coffer agent could not start: disk full');
  });
});

describe('a folder name', () => {
  it('is the last part of the path, on any platform', () => {
    expect(folderName('/home/ana/Documents')).toBe('Documents');
    expect(folderName('/home/ana/Documents/')).toBe('Documents');
    expect(folderName('C:\\Users\\ana\\Photos')).toBe('Photos');
    expect(folderName('/')).toBe('/');
  });
});
