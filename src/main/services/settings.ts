import { Settings, SipCredentials, WorkstationError, type WorkstationHandlers } from '../../shared/api/contract';
import { ROUTES } from '../../shared/api/routes';
import { SyncHttpError } from '../sync/transport';
import type { WorkstationCore } from './core';
import { toWorkstationError } from './errors';
import { normalizeServerUrl, secretScope } from './paths';
import { callRoute } from './route-client';
import { locked, readLock } from './lock';

/** The workstation's settings (server, language) and the agent's own SIP settings and password. */
export function createSettingsHandlers(
  core: WorkstationCore,
): Pick<WorkstationHandlers, 'getSettings' | 'saveSettings' | 'getSipCredentials'> {
  /** Whose language a change is: the signed-in user's (not while the login screen asks them again). */
  const signedInScope = (): string | null => {
    const c = core.ctx;
    return c && !readLock(c) ? secretScope(c.session.serverUrl, c.session.user.id) : null;
  };
  const handlers: Pick<WorkstationHandlers, 'getSettings' | 'saveSettings' | 'getSipCredentials'> = {
    async getSettings() {
      const sip = core.ctx?.sip() ?? { settings: null, password: null };
      const user = signedInScope();
      return Settings.parse({
        serverUrl: core.settings.serverUrl,
        organization: core.settings.organization,
        // the signed-in user's own language; signed out, the machine's
        locale: (user && core.settings.userLocales[user]) ?? core.settings.locale,
        sip: sip.settings,
        hasSipPassword: !!sip.password,
      });
    },

    async saveSettings(update) {
      if (update.sip !== undefined || update.sipPassword !== undefined) {
        const c = core.ctx;
        if (!c)
          throw new WorkstationError(
            'auth.required',
            'sign in to save SIP settings: they belong to the agent',
            update.sip !== undefined ? 'sip' : 'sipPassword',
          );
        const reason = readLock(c);
        if (reason) throw locked(reason);
        const prev = c.sip();
        c.setSip({
          settings: update.sip !== undefined ? update.sip : prev.settings,
          password: update.sipPassword !== undefined ? (update.sipPassword === '' ? null : update.sipPassword) : prev.password,
        });
      }
      // chosen while signed in, the language is that user's preference; on the login screen, the machine's
      const user = signedInScope();
      core.settings = {
        serverUrl: update.serverUrl ? normalizeServerUrl(update.serverUrl) : core.settings.serverUrl,
        locale: update.locale && !user ? update.locale : core.settings.locale,
        organization: core.settings.organization,
        userLocales: update.locale && user ? { ...core.settings.userLocales, [user]: update.locale } : core.settings.userLocales,
      };
      core.saveSettings();
      return handlers.getSettings(undefined);
    },

    async getSipCredentials() {
      const c = core.need();
      const local = c.sip();
      if (local.settings && local.password) return SipCredentials.parse({ ...local.settings, password: local.password });
      try {
        const creds = await callRoute(c.server, ROUTES.mySip, {});
        const { password, ...rest } = creds;
        c.setSip({ settings: local.settings ?? rest, password: local.password ?? password });
        return SipCredentials.parse({ ...(local.settings ?? rest), password: local.password ?? password });
      } catch (e) {
        if (e instanceof SyncHttpError && e.status === 404) return null;
        throw toWorkstationError(e);
      }
    },
  };
  return handlers;
}
