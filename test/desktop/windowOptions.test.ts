// The main window's options are the hardened ones, and the app scheme is registered without privileges that would weaken them.
import { describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES } from '../../main/desktop/appScheme.js';
import { hardenedWindowOptions } from '../../main/desktop/windowOptions.js';

describe('the main window options', () => {
  const options = hardenedWindowOptions('/app/dist/preload/index.cjs');
  const prefs = options.webPreferences!;

  it('sandboxes the renderer and isolates the preload, with Node nowhere', () => {
    expect(prefs.sandbox).toBe(true);
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.webviewTag).toBe(false);
  });

  it('leaves web security and insecure content at their safe defaults by not setting them', () => {
    for (const key of ['webSecurity', 'allowRunningInsecureContent', 'experimentalFeatures', 'enableBlinkFeatures', 'additionalArguments', 'partition', 'session']) {
      expect(prefs, key).not.toHaveProperty(key);
    }
  });

  it('loads the bundled CommonJS preload it is given', () => {
    expect(prefs.preload).toBe('/app/dist/preload/index.cjs');
  });

  it('starts hidden until the first paint', () => {
    expect(options.show).toBe(false);
  });
});

describe('the app scheme privileges', () => {
  it('make app://coffer a standard, secure origin that cannot bypass the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ standard: true, secure: true, supportFetchAPI: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('corsEnabled');
  });
});
