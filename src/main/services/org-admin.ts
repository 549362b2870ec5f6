import type { WorkstationHandlers } from '../../shared/api/contract';
import { ROUTES } from '../../shared/api/routes';
import type { WorkstationCore } from './core';
import { callRoute } from './route-client';

/**
 * The administrator's changes to the organisation's rules and templates: online, and this
 * workstation's own cache follows at once (the others on their next sync). The plain reads are
 * pass-throughs (pass-through.ts).
 */
export function createOrgAdminHandlers(
  core: WorkstationCore,
): Pick<WorkstationHandlers, 'saveOrgCompliance' | 'createOrgTemplate' | 'updateOrgTemplate'> {
  return {
    async saveOrgCompliance(rules) {
      const c = core.need();
      const state = await callRoute(c.server, ROUTES.saveOrgCompliance, { body: rules });
      c.store.setMeta('orgCompliance', JSON.stringify(state));
      return state;
    },

    async createOrgTemplate(template) {
      const c = core.need();
      const created = await callRoute(c.server, ROUTES.createOrgTemplate, { body: template });
      await core.orgData.refresh(c, true).catch(() => {});
      return created;
    },

    async updateOrgTemplate({ id, template }) {
      const c = core.need();
      const updated = await callRoute(c.server, ROUTES.updateOrgTemplate, { params: { id }, body: template });
      await core.orgData.refresh(c, true).catch(() => {});
      return updated;
    },
  };
}
