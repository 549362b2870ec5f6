import { z } from 'zod';
import { Segment } from '../domain/enums';
import { SegmentRules } from '../rules/segments';
import { OrgAuditEntry } from './audit';
import type { RouteSpec } from './routes';

/** Keeps the literal types of a route (as routes.ts's own helper does). */
function route<const T extends RouteSpec>(spec: T): T {
  return spec;
}

export const SegmentRulesState = z.object({
  rules: SegmentRules,
  revision: z.number().int(),
  updatedAt: z.string().nullable(),
});
export type SegmentRulesState = z.infer<typeof SegmentRulesState>;

export const SegmentPreview = z.object({
  debtors: z.number().int(),
  bySegment: z.record(Segment, z.number().int()),
  byRule: z.array(z.object({ name: z.string(), debtors: z.number().int() })),
  unmatched: z.number().int(),
});
export type SegmentPreview = z.infer<typeof SegmentPreview>;

/**
 * Contact habits and segmentation routes (docs/contact-habits.md), spread into ROUTES
 * (src/shared/api/routes.ts) so they are declared once like every other route.
 */
export const HABITS_ROUTES = {
  segmentRules: route({ method: 'GET', path: '/api/v1/segments/rules', response: SegmentRulesState }),
  saveSegmentRules: route({
    method: 'PUT',
    path: '/api/v1/segments/rules',
    body: z.object({ rules: SegmentRules }).strict(),
    response: SegmentRulesState,
  }),
  previewSegments: route({
    method: 'POST',
    path: '/api/v1/segments/preview',
    body: z.object({ rules: SegmentRules }).strict(),
    response: SegmentPreview,
  }),
  segmentRulesAudit: route({
    method: 'GET',
    path: '/api/v1/segments/rules/audit',
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
    response: z.object({ entries: z.array(OrgAuditEntry) }),
  }),
  runHabits: route({
    method: 'POST',
    path: '/api/v1/habits/run',
    response: z.object({ debtors: z.number().int(), changed: z.number().int() }),
  }),
} as const;
