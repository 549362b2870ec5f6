import { z } from 'zod';
import { ImportReport } from '../../shared/domain/portfolio';
import { scopeFor } from '../access/visibility';
import { defineRoute } from '../http/route';
import { importPortfolioCsv } from '../portfolio/import';

export const importRoutes = [
  defineRoute({
    method: 'POST', path: '/api/v1/imports/portfolio',
    summary: 'Load a portfolio ("cartera") CSV; bad rows are reported by row and column, good rows written',
    tags: ['imports'], access: ['team_lead', 'admin'],
    body: z.string().min(1, 'empty file'), bodyContentType: 'text/csv', bodyLimit: 256 * 1024 * 1024,
    response: ImportReport, errors: [413, 415],
    async handler({ db, user, body }) {
      return importPortfolioCsv(db, user.orgId, body, { scope: await scopeFor(db, user) });
    },
  }),
];
