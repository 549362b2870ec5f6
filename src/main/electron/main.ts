import { app, BrowserWindow, net, Notification, powerMonitor, shell } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorkstation, type Workstation } from '../services';
import { secretsFile } from '../services/paths';
import { registerIpc } from './ipc';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './protocol';
import { createSafeStorageVault } from './safe-storage-vault';

/**
 * The Electron shell: one sandboxed window on our own protocol, the workstation in the main
 * process, desktop notifications for callbacks falling due. Everything else is plain Node.
 */
const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '../renderer');
const preloadFile = ['index.cjs', 'index.js', 'index.mjs'].map((f) => join(here, '../preload', f)).find((f) => existsSync(f))
  ?? join(here, '../preload/index.js');
const DEFAULT_SERVER_URL = process.env.COBRANZA_SERVER_URL ?? 'http://127.0.0.1:8787';

let win: BrowserWindow | null = null;
let workstation: Workstation | null = null;

const isExternal = (url: string) => /^https?:\/\//i.test(url);

function createWindow(): BrowserWindow {
  const w = new BrowserWindow({
    width: 1400, height: 900, show: false, title: 'Cobranza',
    webPreferences: {
      preload: preloadFile, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true,
      allowRunningInsecureContent: false, spellcheck: false,
    },
  });
  w.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  w.webContents.on('will-navigate', (e, url) => {
    if (url.startsWith(`${APP_ORIGIN}/`)) return;
    e.preventDefault();
    if (isExternal(url)) void shell.openExternal(url);
  });
  w.webContents.on('will-attach-webview', (e) => e.preventDefault());
  w.once('ready-to-show', () => w.show());
  void w.loadURL(`${APP_ORIGIN}/index.html`);
  return w;
}

async function notifyCallbacks(ws: Workstation): Promise<void> {
  ws.events.onCallbacksDue(async (due) => {
    if (!Notification.isSupported()) return;
    const { locale } = await ws.handlers.getSettings(undefined);
    for (const d of due.slice(0, 5)) {
      const n = new Notification({
        title: locale === 'es' ? 'Rellamada pendiente' : 'Callback due',
        body: d.debtorName,
      });
      n.on('click', () => { win?.show(); win?.focus(); });
      n.show();
    }
  });
}

registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

app.on('second-instance', () => { if (win) { if (win.isMinimized()) win.restore(); win.focus(); } });

app.whenReady().then(async () => {
  serveRenderer(rendererDir);
  // the session token, SIP password and store keys, sealed with the OS keychain's key
  const vault = createSafeStorageVault(secretsFile(app.getPath('userData')));
  workstation = await createWorkstation({ dataDir: app.getPath('userData'), vault, defaultServerUrl: DEFAULT_SERVER_URL });
  registerIpc(workstation, () => win);
  await notifyCallbacks(workstation);
  powerMonitor.on('resume', () => workstation?.notifyOnline());
  // the OS network coming back: sync at once instead of waiting out the back-off
  let wasOnline = net.isOnline();
  setInterval(() => {
    const online = net.isOnline();
    if (online && !wasOnline) workstation?.notifyOnline();
    wasOnline = online;
  }, 5_000).unref();
  win = createWindow();
  win.on('closed', () => { win = null; });
  app.on('activate', () => { if (!win) { win = createWindow(); win.on('closed', () => { win = null; }); } });
}).catch((e) => {
  console.error(e);
  app.exit(1);
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting || !workstation) return;
  e.preventDefault();
  quitting = true;
  void workstation.close().finally(() => app.quit());
});
