import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { API_METHODS, type ApiEnvelope } from '../../shared/api/contract';
import { channelOf, EVENT_DATA_CHANGED, EVENT_SYNC_STATE } from '../../shared/api/wire';
import { createDispatcher } from '../api/dispatch';
import type { Workstation } from '../services/workstation';
import { APP_ORIGIN } from './protocol';

/**
 * One ipcMain.handle per API method. Only our window's main frame, loaded from our own
 * protocol, may call; src/main/api/dispatch.ts validates and runs the call, as for the web host.
 */
export function registerIpc(workstation: Workstation, window: () => BrowserWindow | null): () => void {
  const senderOk = (e: IpcMainInvokeEvent) => {
    const win = window();
    const frame = e.senderFrame;
    return !!win && e.sender === win.webContents && !!frame && frame === e.sender.mainFrame
      && frame.url.startsWith(`${APP_ORIGIN}/`);
  };

  const dispatch = createDispatcher(workstation.handlers);
  for (const m of API_METHODS) {
    ipcMain.handle(channelOf(m), async (e, rawInput: unknown): Promise<ApiEnvelope<unknown>> => {
      if (!senderOk(e)) return { ok: false, error: { code: 'host.forbidden', message: 'unknown sender' } };
      return dispatch(m, rawInput);
    });
  }

  const send = (channel: string, value: unknown) => {
    const win = window();
    if (win && !win.isDestroyed()) win.webContents.send(channel, value);
  };
  const offSync = workstation.events.onSyncState((s) => send(EVENT_SYNC_STATE, s));
  const offData = workstation.events.onDataChanged((d) => send(EVENT_DATA_CHANGED, d));

  return () => {
    for (const m of API_METHODS) ipcMain.removeHandler(channelOf(m));
    offSync();
    offData();
  };
}
