import { app, ipcMain, type BrowserWindow } from 'electron';
import electronUpdater from 'electron-updater';
import { SHELL_GET_UPDATE_STATE, SHELL_INSTALL_UPDATE, SHELL_UPDATE_STATE, type UpdateState } from '../../shared/api/wire';
import { FIRST_UPDATE_CHECK_MS, UPDATE_CHECK_EVERY_MS, updateFeedUrl } from '../shell/updates';
import { senderIsOurs } from './ipc';

/**
 * Updates from the organisation's own server (generic provider at <server>/updates/). The main
 * side downloads in the background and only offers: it tells the renderer an update is ready,
 * the renderer shows the offer between calls (src/renderer/lib/update-offer.ts), and only the
 * agent's click installs. An update not installed that way goes in when the app quits.
 */
export function startUpdates(o: { window: () => BrowserWindow | null; serverUrl: () => Promise<string | null> }): void {
  let state: UpdateState = { status: 'idle' };
  const publish = () => {
    const win = o.window();
    if (win && !win.isDestroyed()) win.webContents.send(SHELL_UPDATE_STATE, state);
  };

  ipcMain.handle(SHELL_GET_UPDATE_STATE, (e) => (senderIsOurs(e, o.window()) ? state : { status: 'idle' }));
  ipcMain.handle(SHELL_INSTALL_UPDATE, (e) => {
    if (!senderIsOurs(e, o.window()) || state.status !== 'ready') return false;
    // quitAndInstall closes the windows; before-quit closes the workstation cleanly first
    setImmediate(() => electronUpdater.autoUpdater.quitAndInstall(false, true));
    return true;
  });

  // unpacked development runs have no app-update.yml and nothing to update
  if (!app.isPackaged || process.env.COBRANZA_NO_UPDATES === '1') return;
  const updater = electronUpdater.autoUpdater;
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  updater.on('update-downloaded', (info) => {
    state = { status: 'ready', version: info.version };
    publish();
  });
  updater.on('error', (e) => console.warn(`update check failed: ${e.message}`));

  const check = async () => {
    const feed = updateFeedUrl(await o.serverUrl().catch(() => null));
    if (!feed || state.status === 'ready') return;
    updater.setFeedURL({ provider: 'generic', url: feed });
    await updater.checkForUpdates().catch((e: Error) => console.warn(`update check failed: ${e.message}`));
  };
  setTimeout(() => {
    void check();
  }, FIRST_UPDATE_CHECK_MS).unref();
  setInterval(() => {
    void check();
  }, UPDATE_CHECK_EVERY_MS).unref();
}
