import { z } from 'zod';
import { scopeFor } from '../access/visibility';
import type { Readable } from 'node:stream';
import { HttpError, notFound } from '../http/errors';
import { ROUTES } from '../../shared/api/routes';
import { defineRoute } from '../http/route';
import { apiActor } from './actor';
import { findRun, findRunAnywhere, listRuns } from './runs';
import { importPortfolioStream } from '../portfolio/stream';
import { readsInWorker } from '../portfolio/parse-thread';
import { limitedBody, PORTFOLIO_LIMIT } from './body';

export const importRoutes = [
  defineRoute({
    ...ROUTES.importPortfolio,
    summary: 'Load a portfolio ("cartera") CSV; bad rows are reported by row and column, good rows written',
    tags: ['imports'],
    access: ['team_lead', 'admin'],
    // Streamed: read and written a batch at a time (portfolio/stream.ts), so a file of a million
    // rows neither holds memory nor the server; past 1 MB read in a worker thread (parse-thread.ts). importId lets the caller watch its progress.
    // The table's body is the CSV text a client sends; the handler gets the request stream.
    body: z.custom<Readable>(),
    bodyContentType: 'text/csv',
    bodyStream: true,
    errors: [413, 415],
    async handler({ db, user, body, query, request }) {
      const scope = await scopeFor(db, user);
      if (query.importId && (await findRunAnywhere(db, query.importId))) {
        throw new HttpError(400, 'invalid_request', `query.importId: import ${query.importId} already exists`, 'importId');
      }
      const source = await limitedBody(body, PORTFOLIO_LIMIT);
      return importPortfolioStream(db, user.orgId, source, {
        scope,
        actor: apiActor(user.id),
        // a big upload (or one of unknown length) is read in a worker: the event loop stays free
        inWorker: readsInWorker(request.headers['content-length']),
        ...(query.importId ? { importId: query.importId } : {}),
      });
    },
  }),
  defineRoute({
    ...ROUTES.imports,
    summary:
      'Import runs, newest first: who loaded which kind of file, when, and how far it got (admin: the organisation; lead: their own)',
    tags: ['imports'],
    access: ['team_lead', 'admin'],
    async handler({ db, user, query }) {
      return { imports: await listRuns(db, await scopeFor(db, user), query.limit) };
    },
  }),
  defineRoute({
    ...ROUTES.importRun,
    summary: 'One import run: progress while it runs (rows read, written, refused), its report once it ended',
    tags: ['imports'],
    access: ['team_lead', 'admin'],
    errors: [404],
    async handler({ db, user, params }) {
      const run = await findRun(db, await scopeFor(db, user), params.id);
      if (!run) throw notFound('import');
      return run;
    },
  }),
];
