import { ApiFailure, WorkstationError, type WorkstationApi } from '../../shared/api/contract';
import { BRIDGE_ERROR_PREFIX } from '../../shared/api/wire';
import { preloadApi } from './bridge';
import { createHttpApi, hostKeyFromLocation } from './http';

let api: WorkstationApi | null = null;

/**
 * The API the UI talks to: Electron's preload bridge when present, else the web host over
 * HTTP + WebSocket. Both are typed against WorkstationApi and fail with WorkstationError.
 */
export function getApi(): WorkstationApi {
  if (api) return api;
  const bridged = preloadApi();
  if (bridged) {
    api = wrapBridge(bridged);
    return api;
  }
  const key = hostKeyFromLocation();
  if (!key) throw new WorkstationError('host.no_key', 'open the workstation with the URL it printed (it carries #key=…)');
  api = createHttpApi({ baseUrl: window.location.origin, key });
  return api;
}

/** Puts a given API in place (tests drive the renderer's stores against a real web host this way). */
export function setApi(given: WorkstationApi | null): void {
  api = given;
}

/**
 * contextBridge keeps only an error's message, so the preload puts the failure in it as
 * `WorkstationError:{json}`; restore the WorkstationError here.
 */
function wrapBridge(b: WorkstationApi): WorkstationApi {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(b)) {
    if (name === 'onSyncState' || name === 'onDataChanged') {
      out[name] = fn;
      continue;
    }
    out[name] = async (input?: unknown) => {
      try {
        return await (fn as (i?: unknown) => Promise<unknown>)(input);
      } catch (e) {
        if (e instanceof WorkstationError) throw e;
        throw failureFromBridge(e);
      }
    };
  }
  return out as unknown as WorkstationApi;
}

function failureFromBridge(e: unknown): WorkstationError {
  const message = e instanceof Error ? e.message : String(e);
  const at = message.indexOf(BRIDGE_ERROR_PREFIX);
  if (at >= 0) {
    const parsed = ApiFailure.safeParse(
      (() => {
        try {
          return JSON.parse(message.slice(at + BRIDGE_ERROR_PREFIX.length));
        } catch {
          return null;
        }
      })(),
    );
    if (parsed.success) return WorkstationError.fromFailure(parsed.data);
  }
  return new WorkstationError('unexpected', message);
}

export { createHttpApi } from './http';
