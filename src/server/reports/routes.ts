import { ActivityReport, ActivityReportQuery } from '../../shared/reports/activity';
import { scopeFor } from '../access/visibility';
import { defineRoute } from '../http/route';
import { activityReport } from './activity';

export const reportRoutes = [
  defineRoute({
    method: 'GET', path: '/api/v1/reports/activity',
    summary: "Per agent: attempts, right-party contacts, promises and collections in a period of the organisation's days (team lead: their team; admin: everyone; agent: themselves)",
    tags: ['reports'], access: 'user', query: ActivityReportQuery, response: ActivityReport,
    async handler({ db, user, query }) {
      return activityReport(db, await scopeFor(db, user), query, new Date());
    },
  }),
];
