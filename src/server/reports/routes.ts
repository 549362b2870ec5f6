import { scopeFor } from '../access/visibility';
import { defineRoute } from '../http/route';
import { activityReport } from './activity';
import { reportReads } from './replica';
import { ROUTES } from '../../shared/api/routes';

export const reportRoutes = [
  defineRoute({
    ...ROUTES.activityReport,
    summary:
      "Per agent: attempts, right-party contacts, promises and collections in a period of the organisation's days (team lead: their team; admin: everyone; agent: themselves)",
    tags: ['reports'],
    access: 'user',
    async handler({ db, user, query, request }) {
      // who sees whom is decided on the primary; the counting may run on the replica
      const scope = await scopeFor(db, user);
      const reads = await reportReads(request.server, db);
      const report = await activityReport(reads.db, scope, query, new Date());
      return { ...report, readFrom: { source: reads.source, staleSeconds: reads.staleSeconds } };
    },
  }),
];
