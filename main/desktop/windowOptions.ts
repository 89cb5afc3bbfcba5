// The one place the main window's options are decided: sandboxed, context-isolated, no Node, no webview.
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * Options for the app's only window (Electron security checklist items 2, 3, 4, 6, 8, 9, 10, 12).
 * The renderer runs in Chromium's sandbox with the preload in an isolated world; it gets no Node
 * integration anywhere (page, sub-frames, workers) and no <webview>. `webSecurity` is left out on
 * purpose so it keeps its default (on); so are `allowRunningInsecureContent` and
 * `experimentalFeatures` (off). The window starts hidden and is shown once its first paint is ready.
 * `preloadPath` must be the bundled CommonJS preload (dist/preload/index.cjs).
 */
export function hardenedWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'Coffer',
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}
