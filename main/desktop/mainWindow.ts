// The app's one window: created on demand from the hardened options, hidden (not closed) when the user closes it.
import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './appScheme.js';
import { hardenedWindowOptions } from './windowOptions.js';

export class MainWindow {
  private window: BrowserWindow | undefined;
  private quitting = false;
  private hiddenOnce = false;

  /** `onFirstHide` runs the first time a close only hides the window (to say the app keeps running in the tray). */
  constructor(
    private readonly preloadPath: string,
    private readonly onFirstHide: () => void,
  ) {}

  /** Shows the window, creating it if needed; `hash` picks a view of the UI (e.g. '#/keys'). */
  show(hash = ''): void {
    const existing = this.window && !this.window.isDestroyed() ? this.window : undefined;
    if (!existing) {
      // A new window shows itself once its first paint is ready (no blank flash).
      this.create(`${APP_ENTRY_URL}${hash}`);
      return;
    }
    if (hash) void existing.loadURL(`${APP_ENTRY_URL}${hash}`);
    if (existing.isMinimized()) existing.restore();
    existing.show();
    existing.focus();
  }

  /** From now on a close really closes (the app is quitting). */
  allowClose(): void {
    this.quitting = true;
  }

  private create(url: string): void {
    // Reviewed: the scanner cannot see into hardenedWindowOptions, which sets sandbox and contextIsolation
    // (test/desktop/windowOptions.test.ts holds it to that); a middle-click's new window is denied by the
    // window-open handler in hardening.ts like any other.
    const window = new BrowserWindow(hardenedWindowOptions(this.preloadPath)); // eng-disable SANDBOX_JS_CHECK CONTEXT_ISOLATION_JS_CHECK AUXCLICK_JS_CHECK
    window.on('close', (event) => {
      if (this.quitting) return;
      event.preventDefault();
      window.hide();
      if (!this.hiddenOnce) {
        this.hiddenOnce = true;
        this.onFirstHide();
      }
    });
    window.on('closed', () => {
      if (this.window === window) this.window = undefined;
    });
    window.once('ready-to-show', () => window.show());
    void window.loadURL(url);
    this.window = window;
  }
}
