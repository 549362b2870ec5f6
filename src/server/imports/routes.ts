import { z } from 'zod';
import { ImportReport } from '../../shared/domain/portfolio';
import { scopeFor } from '../access/visibility';
import { notFound } from '../http/errors';
import { defineRoute } from '../http/route';
import { apiActor } from './actor';
import { findRun, ImportRun, listRuns } from './runs';
import { importPortfolioCsv } from '../portfolio/import';

export const importRoutes = [
  defineRoute({
    method: 'POST', path: '/api/v1/imports/portfolio',
    summary: 'Load a portfolio ("cartera") CSV; bad rows are reported by row and column, good rows written',
    tags: ['imports'], access: ['team_lead', 'admin'],
    body: z.string().min(1, 'empty file'), bodyContentType: 'text/csv', bodyLimit: 256 * 1024 * 1024,
    response: ImportReport, errors: [413, 415],
    async handler({ db, user, body }) {
      return importPortfolioCsv(db, user.orgId, body, { scope: await scopeFor(db, user), actor: apiActor(user.id) });
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/imports',
    summary: 'Import runs, newest first: who loaded which kind of file, when, and how far it got (admin: the organisation; lead: their own)',
    tags: ['imports'], access: ['team_lead', 'admin'],
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    response: z.object({ imports: z.array(ImportRun) }),
    async handler({ db, user, query }) { return { imports: await listRuns(db, await scopeFor(db, user), query.limit) }; },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/imports/:id',
    summary: 'One import run: progress while it runs (rows read, written, refused), its report once it ended',
    tags: ['imports'], access: ['team_lead', 'admin'], params: z.object({ id: z.string().uuid() }),
    response: ImportRun, errors: [404],
    async handler({ db, user, params }) {
      const run = await findRun(db, await scopeFor(db, user), params.id);
      if (!run) throw notFound('import');
      return run;
    },
  }),
];
