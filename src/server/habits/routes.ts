import { ROUTES } from '../../shared/api/routes';
import { listOrgAudit } from '../audit/org-audit';
import { defineRoute } from '../http/route';
import { runHabits, segmentFeatures } from './compute';
import { loadSegmentRules, previewSegments, replaceSegmentRules } from './segment-rules';
import { debtorFacts } from './sql';

/** Segmentation rules (admin) and an on-demand run of the habits job (docs/contact-habits.md). */
export const habitsRoutes = [
  defineRoute({
    ...ROUTES.segmentRules,
    summary: "The organisation's segmentation rules, in order (the first that matches gives the segment)",
    tags: ['segments'],
    access: ['admin'],
    async handler({ db, user }) {
      return loadSegmentRules(db, user.orgId);
    },
  }),
  defineRoute({
    ...ROUTES.saveSegmentRules,
    summary: 'Replace the segmentation rules (audited); the next habits run applies them',
    tags: ['segments'],
    access: ['admin'],
    async handler({ db, user, body }) {
      return replaceSegmentRules(db, user, body.rules);
    },
  }),
  defineRoute({
    ...ROUTES.previewSegments,
    summary: "How many of today's debtors each rule would take, without saving",
    tags: ['segments'],
    access: ['admin'],
    async handler({ db, user, body }) {
      const facts = await debtorFacts(db, user.orgId, new Date());
      return previewSegments(body.rules, facts.map(segmentFeatures));
    },
  }),
  defineRoute({
    ...ROUTES.segmentRulesAudit,
    summary: 'Who replaced the segmentation rules, when, before and after (newest first)',
    tags: ['segments'],
    access: ['admin'],
    async handler({ db, user, query }) {
      return { entries: await listOrgAudit(db, user.orgId, ['segments.rules'], { limit: query.limit }) };
    },
  }),
  defineRoute({
    ...ROUTES.runHabits,
    summary: 'Recompute best hours, recommended channels and segments now (the scheduled job, for this organisation)',
    tags: ['segments'],
    access: ['admin'],
    async handler({ db, user }) {
      return runHabits(db, user.orgId, new Date());
    },
  }),
];
