// The desktop app's main process: one instance, the agent in-process, a hardened window on app://coffer, a tray.
// Composition only: every decision lives in a pure module beside this one.
import { join } from 'node:path';
import { app, dialog, ipcMain, nativeTheme, Notification, protocol, session, shell } from 'electron';
import type { AppSettings, ContractHandlers } from '../../preload/contract.js';
import type { Logger } from '../agent/logger.js';
import type { Agent } from '../agent/runtime/agent.js';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES } from './appScheme.js';
import { serveAppRequest } from './appProtocol.js';
import { desktopDataDir } from './desktopArgs.js';
import { adoptDesktopSettings, applyingSettings, rememberUnlockSetting } from './desktopSettings.js';
import { denyPermissions, guardEveryWebContents } from './hardening.js';
import { bindContractToIpc } from './ipcBinding.js';
import { MainWindow } from './mainWindow.js';
import { loginItemSettings } from './loginItem.js';
import { noticesBetween, shouldNotify, type NoticeOrigin } from './notifications.js';
import { RememberedUnlock, rememberingUnlocks, unlockWithRemembered } from './rememberedUnlock.js';
import { safeStorageSealer } from './safeStorageSealer.js';
import { describeStartFailure } from './startFailure.js';
import { StatusFeed } from './statusFeed.js';
import { runTrayAction } from './trayActions.js';
import { TrayController } from './trayController.js';

/** How often the tray and the notifications look at the agent's status. */
const STATUS_POLL_MS = 2000;

// Before the app is ready, as Electron requires: the sandbox for every renderer, the app scheme's
// privileges, and the hook that guards every web contents created from now on.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
guardEveryWebContents();

function showNotification(title: string, body: string): void {
  if (Notification.isSupported()) new Notification({ title, body }).show();
}

async function startAgent(dataDir: string): Promise<{ agent: Agent; handlers: ContractHandlers; logger: Logger }> {
  // Loaded here, not at the top, so a native module built for the wrong runtime is a dialog, not a crash.
  const [{ createLogger }, { Agent }] = await Promise.all([import('../agent/logger.js'), import('../agent/runtime/agent.js')]);
  const logger = createLogger('info');
  const agent = await Agent.start({ dataDir, env: process.env, logger });
  // The handlers the control API serves too: the window's requests count for the idle lock as the browser's do.
  return { agent, handlers: agent.handlers, logger };
}

async function main(): Promise<void> {
  await app.whenReady();
  const appDir = app.getAppPath();
  const rendererDir = join(appDir, 'dist', 'renderer');
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request.url, rendererDir, request.method));
  denyPermissions(session.defaultSession);

  const dataDir = desktopDataDir(process.argv, process.env, app.getPath('userData'), process.cwd());
  let started: Awaited<ReturnType<typeof startAgent>>;
  try {
    started = await startAgent(dataDir);
  } catch (err) {
    dialog.showErrorBox('Coffer could not start', describeStartFailure(err));
    app.exit(1);
    return;
  }
  const { agent, logger } = started;
  const onUnexpected = (err: unknown): void => logger.error({ err: err instanceof Error ? err.message : String(err) }, 'desktop request failed');

  // With notifications off, only the answers to the user's own tray commands still show.
  const notify = (origin: NoticeOrigin, title: string, body: string): void => {
    if (shouldNotify(origin, agent.config)) showNotification(title, body);
  };

  const remembered = new RememberedUnlock(join(dataDir, 'desktop-unlock.sealed'), safeStorageSealer());
  await adoptDesktopSettings(dataDir, started.handlers).catch(onUnexpected);
  const rememberUnlock = (): boolean => rememberUnlockSetting(dataDir);
  nativeTheme.themeSource = agent.config.theme;
  const applyDesktopSettings = (settings: AppSettings): void => {
    const loginItem = loginItemSettings(settings, { platform: process.platform, packaged: app.isPackaged });
    if (loginItem) app.setLoginItemSettings(loginItem);
    nativeTheme.themeSource = settings.theme;
    if (!settings.rememberUnlock) remembered.forget();
  };
  const handlers = applyingSettings(rememberingUnlocks(started.handlers, remembered, rememberUnlock, onUnexpected), applyDesktopSettings, onUnexpected);
  const unlock = await unlockWithRemembered(started.handlers, remembered, rememberUnlock()).catch(() => 'nothing' as const);
  if (unlock === 'refused') notify('news', 'Vault still locked', 'The remembered passphrase no longer opens the vault; type it in Coffer.');
  const unbindIpc = bindContractToIpc(ipcMain, handlers, onUnexpected);

  const window = new MainWindow(join(appDir, 'dist', 'preload', 'index.cjs'), () =>
    notify('news', 'Coffer keeps syncing', 'Coffer is still running in the tray; quit it from the tray menu.'),
  );
  const feed: StatusFeed = new StatusFeed({
    read: () => handlers['status.get']({}),
    onChange: (before, after) => {
      tray.update(after);
      for (const notice of noticesBetween(before, after)) notify('news', notice.title, notice.body);
    },
    onError: onUnexpected,
  });
  const tray: TrayController = new TrayController(join(appDir, 'resources', 'tray.png'), (action) =>
    void runTrayAction(action, {
      handlers,
      showWindow: (hash) => window.show(hash),
      openFolder: async (localPath) => {
        const error = await shell.openPath(localPath);
        if (error) throw new Error(error);
      },
      quit: () => app.quit(),
      refresh: () => feed.poll(),
      onFailure: (what, err) => notify('answer', `Could not ${what}`, err instanceof Error ? err.message : String(err)),
    }),
  );
  feed.start(STATUS_POLL_MS);

  app.on('second-instance', () => window.show());
  app.on('activate', () => window.show());
  // Closing the window keeps the agent syncing: the app lives on in the tray until Quit.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', () => window.allowClose());
  let stopped = false;
  let stopping = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    feed.stop();
    unbindIpc();
    tray.destroy();
    void agent
      .stop()
      .catch(onUnexpected)
      .finally(() => {
        stopped = true;
        app.exit(0);
      });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
  window.show();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  main().catch((err: unknown) => {
    dialog.showErrorBox('Coffer stopped', describeStartFailure(err));
    app.exit(1);
  });
}
