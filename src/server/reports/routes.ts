import { scopeFor } from '../access/visibility';
import { defineRoute } from '../http/route';
import { activityReport } from './activity';
import { ROUTES } from '../../shared/api/routes';

export const reportRoutes = [
  defineRoute({
    ...ROUTES.activityReport,
    summary:
      "Per agent: attempts, right-party contacts, promises and collections in a period of the organisation's days (team lead: their team; admin: everyone; agent: themselves)",
    tags: ['reports'],
    access: 'user',
    async handler({ db, user, query }) {
      return activityReport(db, await scopeFor(db, user), query, new Date());
    },
  }),
];
