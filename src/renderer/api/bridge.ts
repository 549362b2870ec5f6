import type { WorkstationApi } from '../../shared/api/contract';

/** The one declaration of what the Electron preload puts on `window` (src/preload/index.ts). */
declare global {
  interface Window {
    cobranza?: WorkstationApi;
  }
}

export function preloadApi(): WorkstationApi | null {
  return typeof window !== 'undefined' && window.cobranza ? window.cobranza : null;
}
