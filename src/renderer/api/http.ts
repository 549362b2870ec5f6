import {
  API_METHODS,
  WorkstationError,
  type ApiEnvelope,
  type ApiMethod,
  type DataChangedEvent,
  type SyncState,
  type WorkstationApi,
} from '../../shared/api/contract';
import { KEY_HEADER, KEY_PARAM, type HostEvent } from '../../shared/api/wire';

export interface HttpApiOptions {
  /** e.g. http://127.0.0.1:5173 (no trailing slash needed) */
  baseUrl: string;
  key: string;
  fetch?: typeof fetch;
  WebSocket?: typeof WebSocket;
}

/**
 * WorkstationApi over the web host: POST /api/<method> with {input}, answers as ApiEnvelope,
 * failures rethrown as WorkstationError; events over one WebSocket that reconnects with
 * back-off and is opened on the first subscription.
 */
export function createHttpApi(o: HttpApiOptions): WorkstationApi {
  const base = o.baseUrl.replace(/\/+$/, '');
  const doFetch = o.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const WS = o.WebSocket ?? globalThis.WebSocket;

  async function call(method: ApiMethod, input: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await doFetch(`${base}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [KEY_HEADER]: o.key },
        body: JSON.stringify(input === undefined ? {} : { input }),
      });
    } catch (e) {
      throw new WorkstationError('host.unreachable', `workstation host unreachable: ${(e as Error).message}`);
    }
    let env: ApiEnvelope<unknown>;
    try {
      env = (await res.json()) as ApiEnvelope<unknown>;
    } catch {
      throw new WorkstationError('host.bad_response', `HTTP ${res.status} without a JSON envelope`);
    }
    if (!env || typeof env !== 'object' || !('ok' in env))
      throw new WorkstationError('host.bad_response', `HTTP ${res.status}: unexpected body`);
    if (!env.ok) throw WorkstationError.fromFailure(env.error);
    return env.value;
  }

  const syncListeners = new Set<(s: SyncState) => void>();
  const dataListeners = new Set<(e: DataChangedEvent) => void>();
  let socket: WebSocket | null = null;
  let retry = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  function connect(): void {
    if (socket || (syncListeners.size === 0 && dataListeners.size === 0)) return;
    const url = `${base.replace(/^http/, 'ws')}/events?${KEY_PARAM}=${encodeURIComponent(o.key)}`;
    const ws = new WS(url);
    socket = ws;
    ws.onopen = () => {
      retry = 0;
    };
    ws.onmessage = (m) => {
      let ev: HostEvent;
      try {
        ev = JSON.parse(String(m.data)) as HostEvent;
      } catch {
        return;
      }
      if (ev.type === 'syncState') for (const l of syncListeners) l(ev.state);
      else if (ev.type === 'dataChanged') for (const l of dataListeners) l(ev.event);
    };
    ws.onclose = () => {
      socket = null;
      if (syncListeners.size === 0 && dataListeners.size === 0) return;
      const delay = Math.min(10_000, 250 * 2 ** retry++) * (0.5 + Math.random() / 2);
      retryTimer = setTimeout(() => {
        retryTimer = null;
        connect();
      }, delay);
    };
  }
  function maybeDisconnect(): void {
    if (syncListeners.size || dataListeners.size) return;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    socket?.close();
    socket = null;
  }

  const api: Record<string, unknown> = {};
  for (const m of API_METHODS) api[m] = (input?: unknown) => call(m, input);
  api.onSyncState = (l: (s: SyncState) => void) => {
    syncListeners.add(l);
    connect();
    return () => {
      syncListeners.delete(l);
      maybeDisconnect();
    };
  };
  api.onDataChanged = (l: (e: DataChangedEvent) => void) => {
    dataListeners.add(l);
    connect();
    return () => {
      dataListeners.delete(l);
      maybeDisconnect();
    };
  };
  return api as unknown as WorkstationApi;
}

/** The key the web host put in the URL it printed (`#key=…`); kept for reloads of the tab. */
export function hostKeyFromLocation(): string | null {
  const fromHash = new URLSearchParams(window.location.hash.replace(/^#/, '')).get(KEY_PARAM);
  if (fromHash) {
    try {
      window.sessionStorage.setItem('cobranza.key', fromHash);
    } catch {
      /* storage disabled */
    }
    return fromHash;
  }
  try {
    return window.sessionStorage.getItem('cobranza.key');
  } catch {
    return null;
  }
}
