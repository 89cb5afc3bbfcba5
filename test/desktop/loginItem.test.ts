// What the app hands to app.setLoginItemSettings: the start-at-login setting, where Electron has login items and the app is packaged.
import { describe, expect, it } from 'vitest';
import { loginItemSettings } from '../../main/desktop/loginItem.js';

describe('the login item', () => {
  it('follows startAtLogin on macOS and Windows, and removes the item when it is off', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      expect(loginItemSettings({ startAtLogin: true }, { platform, packaged: true })).toEqual({ openAtLogin: true });
      expect(loginItemSettings({ startAtLogin: false }, { platform, packaged: true })).toEqual({ openAtLogin: false });
    }
  });

  it('is left alone where Electron has no login items, and in a development run', () => {
    expect(loginItemSettings({ startAtLogin: true }, { platform: 'linux', packaged: true })).toBeUndefined();
    expect(loginItemSettings({ startAtLogin: true }, { platform: 'freebsd', packaged: true })).toBeUndefined();
    expect(loginItemSettings({ startAtLogin: true }, { platform: 'darwin', packaged: false })).toBeUndefined();
    expect(loginItemSettings({ startAtLogin: false }, { platform: 'win32', packaged: false })).toBeUndefined();
  });
});
