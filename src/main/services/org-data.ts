import { z } from 'zod';
import { MessageTemplate, OrgComplianceState } from '../../shared/api/contract';
import { markOrgDataFetched, orgDataStale } from '../sync/org-versions';
import type { MetaKey } from '../store/store';
import type { UserContext } from './user-context';
import { callRoute } from './route-client';
import { ROUTES } from '../../shared/api/routes';

/**
 * Organisation data the workstation needs offline: the compliance rules (stricter overrides and
 * the internal do-not-call list) and the message templates. Fetched after a successful sync when
 * the pull's token says they changed, cached in the agent's store, read from the cache offline.
 */
const REFRESH_MS = 5 * 60_000;
const Templates = z.array(MessageTemplate);

export function createOrgData(now: () => Date) {
  let lastFetch = 0;
  let inFlight: Promise<void> | null = null;

  function read<S extends z.ZodTypeAny>(c: UserContext, key: MetaKey, schema: S): z.output<S> | null {
    const raw = c.store.getMeta(key);
    if (!raw) return null;
    const r = schema.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  }

  async function refresh(c: UserContext, force = false): Promise<void> {
    if (inFlight) return inFlight;
    // with the pull's tokens (org-versions.ts) only what changed is fetched, whenever it changed;
    // without them (an older server), both every few minutes
    const rulesAt = orgDataStale(c.store, 'compliance');
    const templatesAt = orgDataStale(c.store, 'templates');
    const tokens = rulesAt.token !== null;
    const wantRules = force || (tokens ? rulesAt.stale : now().getTime() - lastFetch >= REFRESH_MS);
    const wantTemplates = force || (tokens ? templatesAt.stale : now().getTime() - lastFetch >= REFRESH_MS);
    if (!wantRules && !wantTemplates) return;
    inFlight = (async () => {
      try {
        // one after the other: a background refresh should not compete with the agent's own requests
        const [rules] = wantRules ? await Promise.allSettled([callRoute(c.server, ROUTES.complianceRules, {})]) : [null];
        const [templates] = wantTemplates ? await Promise.allSettled([callRoute(c.server, ROUTES.messageTemplates, {})]) : [null];
        if (!c.store.db.open) return;
        if (rules?.status === 'fulfilled') {
          c.store.setMeta('orgCompliance', JSON.stringify(rules.value));
          markOrgDataFetched(c.store, 'compliance', rulesAt.token);
        }
        if (templates?.status === 'fulfilled') {
          c.store.setMeta('messageTemplates', JSON.stringify(templates.value));
          markOrgDataFetched(c.store, 'templates', templatesAt.token);
        }
        if (rules?.status === 'fulfilled' || templates?.status === 'fulfilled') lastFetch = now().getTime();
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  }

  /**
   * The templates alone, after every successful sync: an administrator's change (or a template
   * withdrawn) must reach the agents' previews on their next sync, not minutes later. True when
   * the cached list changed.
   */
  let templatesInFlight: Promise<boolean> | null = null;
  function refreshTemplates(c: UserContext): Promise<boolean> {
    const at = orgDataStale(c.store, 'templates');
    if (!at.stale) return Promise.resolve(false);
    templatesInFlight ??= (async () => {
      try {
        const list = await callRoute(c.server, ROUTES.messageTemplates, {});
        if (!c.store.db.open) return false;
        markOrgDataFetched(c.store, 'templates', at.token);
        const json = JSON.stringify(list);
        if (c.store.getMeta('messageTemplates') === json) return false;
        c.store.setMeta('messageTemplates', json);
        return true;
      } finally {
        templatesInFlight = null;
      }
    })();
    return templatesInFlight;
  }

  return {
    refresh,
    refreshTemplates,
    compliance: (c: UserContext) => read(c, 'orgCompliance', OrgComplianceState),
    templates: (c: UserContext) => read(c, 'messageTemplates', Templates) ?? [],
    reset() {
      lastFetch = 0;
    },
  };
}
export type OrgData = ReturnType<typeof createOrgData>;
