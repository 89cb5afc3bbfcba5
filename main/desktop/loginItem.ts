// What the desktop app asks of the OS's login items (Electron's app.setLoginItemSettings), from the user's settings.
import type { AppSettings } from '../../preload/contract.js';

/** The part of Electron's login item settings Coffer uses; the executable defaults to the running app. */
export interface LoginItemSettings {
  openAtLogin: boolean;
}

/** Where the app runs, as far as login items care. */
export interface LoginItemHost {
  platform: NodeJS.Platform;
  /** app.isPackaged: false under `npm start`, where the executable is the bare Electron binary. */
  packaged: boolean;
}

/**
 * The settings to pass to app.setLoginItemSettings, or undefined when there is nothing to set:
 * Electron has login items on macOS and Windows only (Linux would need an autostart desktop
 * entry), and a development run would register the bare Electron binary, which opens no Coffer.
 * `startAtLogin: false` gives openAtLogin false, which removes an earlier login item.
 */
export function loginItemSettings(settings: Pick<AppSettings, 'startAtLogin'>, host: LoginItemHost): LoginItemSettings | undefined {
  if (host.platform !== 'darwin' && host.platform !== 'win32') return undefined;
  if (!host.packaged) return undefined;
  return { openAtLogin: settings.startAtLogin };
}
