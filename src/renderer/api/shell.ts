import type { ShellBridge } from '../../shared/api/wire';

/** The Electron shell's own bridge (src/preload/index.ts); null in a browser on the web host. */
declare global {
  interface Window {
    cobranzaShell?: ShellBridge;
  }
}

export function shellBridge(): ShellBridge | null {
  return typeof window !== 'undefined' && window.cobranzaShell ? window.cobranzaShell : null;
}
