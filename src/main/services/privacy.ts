import type { WorkstationHandlers } from '../../shared/api/contract';
import { DebtorExport } from '../../shared/api/privacy';
import { debtorExportFileName, renderDebtorExportHtml } from '../../shared/privacy/export-html';
import type { WorkstationCore } from './core';

/**
 * A debtor's data pack for an administrator to hand over (habeas data, a regulator's complaint):
 * the server's export, rendered here as the same printable HTML file the server serves.
 */
export function createPrivacyHandlers(core: WorkstationCore): Pick<WorkstationHandlers, 'exportDebtorData'> {
  return {
    async exportDebtorData({ debtorId }) {
      const doc = await core
        .need()
        .server.call('GET', `/api/v1/privacy/debtors/${encodeURIComponent(debtorId)}/export`, undefined, DebtorExport);
      return { fileName: debtorExportFileName(doc, 'html'), html: renderDebtorExportHtml(doc) };
    },
  };
}
