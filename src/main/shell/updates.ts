/**
 * Where a workstation looks for updates: the organisation's own central server, at /updates/
 * (src/server/updates/routes.ts, a folder named by UPDATES_DIR), in electron-updater's generic
 * provider layout (latest.yml, latest-mac.yml and the files they name). Null when the server
 * URL is not http(s): no feed then.
 */
export function updateFeedUrl(serverUrl: string | null | undefined): string | null {
  if (!serverUrl) return null;
  try {
    const u = new URL(serverUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    // a server mounted under a path (https://host/cobranza) keeps it
    const path = u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/`;
    return `${u.protocol}//${u.host}${path}updates/`;
  } catch {
    return null;
  }
}

/** How often a running workstation asks again (the first check comes a minute after start). */
export const UPDATE_CHECK_EVERY_MS = 4 * 60 * 60 * 1000;
export const FIRST_UPDATE_CHECK_MS = 60 * 1000;
