import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { API, API_METHODS, WorkstationError, type ApiEnvelope } from '../../shared/api/contract';
import { channelOf, EVENT_DATA_CHANGED, EVENT_SYNC_STATE } from '../../preload/methods';
import type { Workstation } from '../services/workstation';
import { APP_ORIGIN } from './protocol';

/**
 * One ipcMain.handle per API method. Only our window's main frame, loaded from our own
 * protocol, may call; inputs are parsed with the contract's schemas before any handler runs.
 */
export function registerIpc(workstation: Workstation, window: () => BrowserWindow | null): () => void {
  const senderOk = (e: IpcMainInvokeEvent) => {
    const win = window();
    const frame = e.senderFrame;
    return !!win && e.sender === win.webContents && !!frame && frame === e.sender.mainFrame
      && frame.url.startsWith(`${APP_ORIGIN}/`);
  };

  for (const m of API_METHODS) {
    ipcMain.handle(channelOf(m), async (e, rawInput: unknown): Promise<ApiEnvelope<unknown>> => {
      if (!senderOk(e)) return { ok: false, error: { code: 'host.forbidden', message: 'unknown sender' } };
      const parsed = API[m].input.safeParse(rawInput);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join('.') || undefined;
        return { ok: false, error: { code: 'validation', message: `${m}: ${field ?? 'input'}: ${issue?.message ?? 'invalid'}`, ...(field ? { field } : {}) } };
      }
      try {
        return { ok: true, value: await (workstation.handlers[m] as (i: unknown) => Promise<unknown>)(parsed.data) };
      } catch (err) {
        const we = err instanceof WorkstationError ? err : new WorkstationError('internal', (err as Error).message);
        return { ok: false, error: we.toFailure() };
      }
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
