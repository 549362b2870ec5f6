import { z } from 'zod';
import { ImportReport } from '../../shared/domain/portfolio';
import { scopeFor } from '../access/visibility';
import type { Readable } from 'node:stream';
import { HttpError, notFound } from '../http/errors';
import { defineRoute } from '../http/route';
import { apiActor } from './actor';
import { findRun, findRunAnywhere, ImportRun, listRuns } from './runs';
import { importPortfolioStream } from '../portfolio/stream';
import { limitedBody, PORTFOLIO_LIMIT } from './body';

export const importRoutes = [
  defineRoute({
    method: 'POST',
    path: '/api/v1/imports/portfolio',
    summary: 'Load a portfolio ("cartera") CSV; bad rows are reported by row and column, good rows written',
    tags: ['imports'],
    access: ['team_lead', 'admin'],
    // Streamed: read and written a batch at a time (portfolio/stream.ts), so a file of a million
    // rows neither holds memory nor the server. importId lets the caller watch its progress.
    body: z.custom<Readable>(),
    bodyContentType: 'text/csv',
    bodyStream: true,
    query: z.object({ importId: z.string().uuid().optional() }),
    response: ImportReport,
    errors: [413, 415],
    async handler({ db, user, body, query }) {
      const scope = await scopeFor(db, user);
      if (query.importId && (await findRunAnywhere(db, query.importId))) {
        throw new HttpError(400, 'invalid_request', `query.importId: import ${query.importId} already exists`, 'importId');
      }
      const source = await limitedBody(body, PORTFOLIO_LIMIT);
      return importPortfolioStream(db, user.orgId, source, {
        scope,
        actor: apiActor(user.id),
        ...(query.importId ? { importId: query.importId } : {}),
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/imports',
    summary:
      'Import runs, newest first: who loaded which kind of file, when, and how far it got (admin: the organisation; lead: their own)',
    tags: ['imports'],
    access: ['team_lead', 'admin'],
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    response: z.object({ imports: z.array(ImportRun) }),
    async handler({ db, user, query }) {
      return { imports: await listRuns(db, await scopeFor(db, user), query.limit) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/imports/:id',
    summary: 'One import run: progress while it runs (rows read, written, refused), its report once it ended',
    tags: ['imports'],
    access: ['team_lead', 'admin'],
    params: z.object({ id: z.string().uuid() }),
    response: ImportRun,
    errors: [404],
    async handler({ db, user, params }) {
      const run = await findRun(db, await scopeFor(db, user), params.id);
      if (!run) throw notFound('import');
      return run;
    },
  }),
];
