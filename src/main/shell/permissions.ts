import { isAppUrl } from './origin';

/**
 * What the window may be granted: the microphone, for calls, and nothing else — no camera, no
 * screen capture, no geolocation, no notifications permission (the main side notifies), no
 * clipboard reads, no HID/serial/USB, and nothing at all for a page that is not our renderer.
 * One decision for Electron's request handler and its check handler.
 */
export interface PermissionAsk {
  /** Electron's permission name ('media', 'geolocation', 'notifications', …). */
  permission: string;
  /** requestingUrl (request handler) or requestingOrigin (check handler). */
  origin: string | undefined;
  /** For 'media': what is asked ('audio', 'video'); the check handler gives one mediaType. */
  mediaTypes?: readonly string[] | undefined;
}

export function mayGrant(ask: PermissionAsk): boolean {
  if (!isAppUrl(ask.origin)) return false;
  if (ask.permission !== 'media') return false;
  const types = ask.mediaTypes ?? [];
  return types.length > 0 && types.every((t) => t === 'audio');
}
