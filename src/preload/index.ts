import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiEnvelope, ApiMethod, DataChangedEvent, SyncState, WorkstationApi } from '../shared/api/contract';
import {
  BRIDGE_ERROR_PREFIX,
  channelOf,
  EVENT_DATA_CHANGED,
  EVENT_SYNC_STATE,
  PRELOAD_METHODS,
  SHELL_GET_UPDATE_STATE,
  SHELL_INSTALL_UPDATE,
  SHELL_UPDATE_STATE,
  type ShellBridge,
  type UpdateState,
} from '../shared/api/wire';

/**
 * The whole bridge: one named function per API method (fixed channels, no generic send) and
 * two event subscriptions. contextBridge keeps only an error's message, so a failure travels
 * as `WorkstationError:{code,message,field}` and src/renderer/api restores it.
 */
async function invoke(method: ApiMethod, input: unknown): Promise<unknown> {
  const env = (await ipcRenderer.invoke(channelOf(method), input)) as ApiEnvelope<unknown>;
  if (env.ok) return env.value;
  throw new Error(`${BRIDGE_ERROR_PREFIX}${JSON.stringify(env.error)}`);
}

function subscribe<T>(channel: string, listener: (value: T) => void): () => void {
  const handler = (_e: IpcRendererEvent, value: T) => listener(value);
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.removeListener(channel, handler);
  };
}

const methods = Object.fromEntries(PRELOAD_METHODS.map((m) => [m, (input?: unknown) => invoke(m, input)])) as {
  [M in (typeof PRELOAD_METHODS)[number]]: WorkstationApi[M];
};

const api = {
  ...methods,
  onSyncState: (listener: (state: SyncState) => void) => subscribe(EVENT_SYNC_STATE, listener),
  onDataChanged: (listener: (event: DataChangedEvent) => void) => subscribe(EVENT_DATA_CHANGED, listener),
};

export type PreloadApi = typeof api;
// the compiler proves the bridge honours the contract
const typed: WorkstationApi = api satisfies WorkstationApi;

contextBridge.exposeInMainWorld('cobranza', typed);

// the shell's own bridge (updates), beside the API: the web host has none
const shellBridge: ShellBridge = {
  getUpdateState: () => ipcRenderer.invoke(SHELL_GET_UPDATE_STATE) as Promise<UpdateState>,
  onUpdateState: (listener) => subscribe(SHELL_UPDATE_STATE, listener),
  installUpdate: () => ipcRenderer.invoke(SHELL_INSTALL_UPDATE) as Promise<boolean>,
};
contextBridge.exposeInMainWorld('cobranzaShell', shellBridge);
