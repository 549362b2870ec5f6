import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { API_METHODS, type ApiEnvelope, type ApiMethod } from '../../shared/api/contract';
import { channelOf, EVENT_DATA_CHANGED, EVENT_SYNC_STATE } from '../../shared/api/wire';
import { createDispatcher } from '../api/dispatch';
import type { Workstation } from '../services/workstation';
import { isAppUrl } from '../shell/origin';

/** Only our window's main frame, loaded from our own protocol, may call the main side. */
export function senderIsOurs(e: IpcMainInvokeEvent, win: BrowserWindow | null): boolean {
  const frame = e.senderFrame;
  return !!win && e.sender === win.webContents && !!frame && frame === e.sender.mainFrame && isAppUrl(frame.url);
}

/**
 * One ipcMain.handle per API method; src/main/api/dispatch.ts validates and runs the call, as
 * for the web host. `afterCall` sees each answer (the shell reacts to settings changes).
 */
export function registerIpc(
  workstation: Workstation,
  window: () => BrowserWindow | null,
  afterCall?: (method: ApiMethod, env: ApiEnvelope<unknown>) => void,
): () => void {
  const dispatch = createDispatcher(workstation.handlers);
  for (const m of API_METHODS) {
    ipcMain.handle(channelOf(m), async (e, rawInput: unknown): Promise<ApiEnvelope<unknown>> => {
      if (!senderIsOurs(e, window())) return { ok: false, error: { code: 'host.forbidden', message: 'unknown sender' } };
      const env = await dispatch(m, rawInput);
      afterCall?.(m, env);
      return env;
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
