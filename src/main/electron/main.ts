import { app, BrowserWindow, dialog, net, Notification, powerMonitor, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorkstation, type Workstation } from '../services';
import { secretsFile } from '../services/paths';
import { buildCsp, connectSources, type CspInput } from '../shell/csp';
import { externalLinkAction, externalLinkQuestion } from '../shell/links';
import { callbackNotice, replyNotice } from '../shell/notifications';
import { mayGrant } from '../shell/permissions';
import { registerIpc } from './ipc';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './protocol';
import { createSafeStorageVault } from './safe-storage-vault';
import { startUpdates } from './updates';

/**
 * The Electron shell: one sandboxed window on our own protocol, the workstation in the main
 * process, desktop notifications for callbacks falling due, updates from the organisation's
 * server. Every decision (permissions, CSP, links, notification text, update feed) is a pure
 * function in src/main/shell, tested without Electron; this file only wires them.
 */
const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '../renderer');
const preloadFile =
  ['index.cjs', 'index.js', 'index.mjs'].map((f) => join(here, '../preload', f)).find((f) => existsSync(f)) ??
  join(here, '../preload/index.js');
const DEFAULT_SERVER_URL = process.env.COBRANZA_SERVER_URL ?? 'http://127.0.0.1:8787';
// a separate profile (tests, a second agent on one computer); must be set before 'ready'
if (process.env.COBRANZA_USER_DATA) app.setPath('userData', process.env.COBRANZA_USER_DATA);

let win: BrowserWindow | null = null;
let workstation: Workstation | null = null;
let screenLocked = false;

async function locale(): Promise<'es' | 'en'> {
  return (await workstation?.handlers.getSettings(undefined).catch(() => null))?.locale ?? 'es';
}

/** The hosts the renderer may connect to: the configured server and the agent's SIP WebSocket. */
async function cspInput(): Promise<CspInput> {
  const settings = await workstation?.handlers.getSettings(undefined).catch(() => null);
  return { serverUrl: settings?.serverUrl ?? DEFAULT_SERVER_URL, sipUrls: [settings?.sip?.wsUrl] };
}
/** connect-src as sent with the document now loaded; a change needs a reload to take effect. */
let loadedSources = '';
async function currentCsp(): Promise<string> {
  const input = await cspInput();
  loadedSources = connectSources(input).join(' ');
  return buildCsp(input);
}
let lastReloadAt = 0;
async function reloadIfHostsChanged(): Promise<void> {
  const now = connectSources(await cspInput()).join(' ');
  // at most one reload a minute: a settings read failing on and off must not loop
  if (now === loadedSources || Date.now() - lastReloadAt < 60_000 || !win || win.isDestroyed()) return;
  lastReloadAt = Date.now();
  win.webContents.reload();
}

async function openExternally(url: string): Promise<void> {
  const verdict = externalLinkAction(url);
  if (verdict.action === 'refuse') return;
  const q = externalLinkQuestion(verdict.url, await locale());
  const options = {
    type: 'question' as const,
    message: q.message,
    detail: q.detail,
    buttons: q.buttons,
    defaultId: q.defaultId,
    cancelId: q.cancelId,
    noLink: true,
  };
  const { response } = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
  if (response === 0) await shell.openExternal(verdict.url);
}

function createWindow(): BrowserWindow {
  const w = new BrowserWindow({
    width: 1400,
    height: 900,
    show: false,
    title: 'Cobranza',
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  w.webContents.setWindowOpenHandler(({ url }) => {
    void openExternally(url);
    return { action: 'deny' };
  });
  w.webContents.on('will-navigate', (e, url) => {
    if (url.startsWith(`${APP_ORIGIN}/`)) return;
    e.preventDefault();
    void openExternally(url);
  });
  w.webContents.on('will-attach-webview', (e) => e.preventDefault());
  w.once('ready-to-show', () => w.show());
  void w.loadURL(`${APP_ORIGIN}/index.html`);
  return w;
}

/** The microphone for our renderer, nothing else for anyone (src/main/shell/permissions.ts). */
function restrictPermissions(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(mayGrant({ permission, origin: details.requestingUrl, mediaTypes }));
  });
  s.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    mayGrant({ permission, origin: requestingOrigin || details.requestingUrl, mediaTypes: details.mediaType ? [details.mediaType] : [] }),
  );
  s.setDevicePermissionHandler(() => false);
  // nothing but our renderer is ever loaded; refuse any other page's requests for devices
  s.on('select-hid-device', (e, _d, cb) => {
    e.preventDefault();
    cb('');
  });
  s.on('select-serial-port', (e, _p, _wc, cb) => {
    e.preventDefault();
    cb('');
  });
  s.on('select-usb-device', (e, _d, cb) => {
    e.preventDefault();
    cb();
  });
}

/** Callbacks due: names only on an unlocked screen, and those notices close when it locks. */
function notifyCallbacks(ws: Workstation): void {
  const naming = new Set<Notification>();
  powerMonitor.on('lock-screen', () => {
    screenLocked = true;
    for (const n of naming) n.close();
    naming.clear();
  });
  powerMonitor.on('unlock-screen', () => {
    screenLocked = false;
  });
  ws.events.onCallbacksDue(async (due) => {
    if (!Notification.isSupported()) return;
    const notice = callbackNotice(due, await locale(), screenLocked);
    if (!notice) return;
    const n = new Notification({ title: notice.title, body: notice.body });
    if (notice.namesDebtors) {
      naming.add(n);
      n.on('close', () => naming.delete(n));
    }
    n.on('click', () => {
      win?.show();
      win?.focus();
    });
    n.show();
  });
  // a debtor answered (SMS, WhatsApp, e-mail): the agent hears of it without opening the account
  ws.events.onRepliesReceived(async (replies) => {
    if (!Notification.isSupported()) return;
    const notice = replyNotice(replies, await locale(), screenLocked);
    if (!notice) return;
    const n = new Notification({ title: notice.title, body: notice.body });
    if (notice.namesDebtors) {
      naming.add(n);
      n.on('close', () => naming.delete(n));
    }
    n.on('click', () => {
      win?.show();
      win?.focus();
    });
    n.show();
  });
}

registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

app.on('second-instance', () => {
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

app
  .whenReady()
  .then(async () => {
    restrictPermissions();
    serveRenderer(rendererDir, currentCsp);
    // the session token, SIP password and store keys, sealed with the OS keychain's key
    const vault = createSafeStorageVault(secretsFile(app.getPath('userData')));
    workstation = await createWorkstation({
      dataDir: app.getPath('userData'),
      vault,
      defaultServerUrl: DEFAULT_SERVER_URL,
      systemLocale: app.getLocale(),
    });
    registerIpc(
      workstation,
      () => win,
      (method, env) => {
        // a new server or SIP host is let through the CSP by reloading the renderer once
        if (env.ok && (method === 'saveSettings' || method === 'login' || method === 'getSipCredentials')) void reloadIfHostsChanged();
      },
    );
    notifyCallbacks(workstation);
    startUpdates({ window: () => win, serverUrl: async () => (await workstation?.handlers.getSettings(undefined))?.serverUrl ?? null });
    powerMonitor.on('resume', () => workstation?.notifyOnline());
    // the OS network coming back: sync at once instead of waiting out the back-off
    let wasOnline = net.isOnline();
    setInterval(() => {
      const online = net.isOnline();
      if (online && !wasOnline) workstation?.notifyOnline();
      wasOnline = online;
    }, 5_000).unref();
    win = createWindow();
    win.on('closed', () => {
      win = null;
    });
    app.on('activate', () => {
      if (!win) {
        win = createWindow();
        win.on('closed', () => {
          win = null;
        });
      }
    });
  })
  .catch((e) => {
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
