import { WorkstationError, type WorkstationHandlers } from '../../shared/api/contract';
import { ROUTES } from '../../shared/api/routes';
import type { LoginResponse } from '../../shared/api/rest';
import { createServerClient, SyncHttpError } from '../sync/transport';
import { OFFLINE_STATE, type WorkstationCore } from './core';
import { toWorkstationError } from './errors';
import { removeFile } from './files';
import { currentSessionFile, normalizeServerUrl } from './paths';
import { callRoute } from './route-client';
import { cachedSecurity, clearLock, markLogin, readLock, saveSecurity } from './lock';
import { vaultOf } from './user-context';
import { eraseUserData } from './wipe';

type SessionMethods = 'getSession' | 'login' | 'logout' | 'getSyncState' | 'syncNow';

/** Signing in and out, and the sync engine's state: the agent's session on this workstation. */
export function createSessionHandlers(core: WorkstationCore): Pick<WorkstationHandlers, SessionMethods> {
  return {
    async getSession() {
      return core.ctx ? { ...core.ctx.publicSession(), locked: readLock(core.ctx) } : null;
    },

    async login({ username, password, serverUrl, organization }) {
      const url = normalizeServerUrl(serverUrl ?? core.settings.serverUrl);
      const client = createServerClient({ serverUrl: url, fetch: core.o.fetch, timeoutMs: 20_000 });
      const org = (organization ?? core.settings.organization).trim();
      let res: LoginResponse;
      try {
        // remembered like the server address; required by the server when it holds several organisations
        res = await callRoute(client, ROUTES.login, { body: { username, password, ...(org ? { organization: org } : {}) } });
      } catch (e) {
        if (e instanceof SyncHttpError && e.kind === 'auth') {
          throw new WorkstationError(e.code === 'user_disabled' ? 'auth.user_disabled' : 'auth.invalid_credentials', e.message);
        }
        throw toWorkstationError(e);
      }
      const ctx = core.ctx;
      if (ctx && ctx.session.serverUrl === url && ctx.session.user.id === res.user.id) {
        ctx.setToken(res.token, res.user);
        clearLock(ctx);
        ctx.engine.resume();
      } else {
        core.ctx = null;
        await ctx?.close();
        core.ctx = core.openContext(url, res.user, res.token);
      }
      if (core.settings.serverUrl !== url || core.settings.organization !== org) {
        core.settings = { ...core.settings, serverUrl: url, organization: org };
        core.saveSettings();
      }
      // the organisation's rules and templates, for offline checks; the login does not fail without them
      core.orgData.reset();
      const c = core.ctx!;
      markLogin(c, core.now());
      await callRoute(c.server, ROUTES.orgSecurity, {}).then(
        (p) => saveSecurity(c, p),
        () => {},
      );
      await core.orgData.refresh(c, true).catch(() => {});
      return { ...c.publicSession(), locked: null };
    },

    async logout() {
      const c = core.ctx;
      if (!c) return null;
      core.ctx = null;
      // best effort: the server session is ended if we can reach it; the outbox stays in the store
      await c.presence.stop(true);
      try {
        await callRoute(c.server, ROUTES.logout, {});
      } catch {
        /* offline */
      }
      c.setToken(null);
      // the secrets go with the session: the SIP password is asked for (or fetched) again at the next login
      c.setSip({ ...c.sip(), password: null });
      const erase = cachedSecurity(c)?.eraseOnLogout === true;
      await c.close();
      removeFile(currentSessionFile(core.o.dataDir));
      // the organisation may want no portfolio left behind: the store and its key go too
      if (erase) eraseUserData(core.o.dataDir, vaultOf(core.o.dataDir, core.o.vault), c.session.serverUrl, c.session.user.id);
      core.syncState.emit(OFFLINE_STATE);
      return null;
    },

    async getSyncState() {
      return core.ctx ? core.ctx.engine.getState() : OFFLINE_STATE;
    },

    async syncNow() {
      const c = core.need();
      c.engine.resume(false);
      return c.engine.sync();
    },
  };
}
