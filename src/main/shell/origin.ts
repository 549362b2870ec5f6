/**
 * The renderer's own origin in Electron: app://renderer/… (src/main/electron/protocol.ts).
 * Plain Node, so the shell's decisions can be tested without Electron.
 */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://renderer`;

/** Whether a URL (or an origin) is our renderer's. WHATWG gives custom schemes a 'null' origin, so compare parts. */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'renderer' && !u.username && !u.password;
  } catch {
    return false;
  }
}
