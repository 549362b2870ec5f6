import type { WorkstationHandlers } from '../../shared/api/contract';
import { ROUTES } from '../../shared/api/routes';
import { debtorExportFileName, renderDebtorExportHtml } from '../../shared/privacy/export-html';
import type { WorkstationCore } from './core';
import { callRoute } from './route-client';

/**
 * A debtor's data pack for an administrator to hand over (habeas data, a regulator's complaint):
 * the server's export, rendered here as the same printable HTML file the server serves.
 */
export function createPrivacyHandlers(core: WorkstationCore): Pick<WorkstationHandlers, 'exportDebtorData'> {
  return {
    async exportDebtorData({ debtorId }) {
      const doc = await callRoute(core.need().server, ROUTES.debtorExport, { params: { id: debtorId } });
      return { fileName: debtorExportFileName(doc, 'html'), html: renderDebtorExportHtml(doc) };
    },
  };
}
