import { ROUTES } from '../../shared/api/routes';
import { ModelCard, type RiskModelEntry } from '../../shared/risk/card';
import { defineRoute } from '../http/route';

/** The organisation's risk models and their cards, for the admins' model card screen. */
export const riskRoutes = [
  defineRoute({
    ...ROUTES.riskModels,
    summary:
      "The organisation's trained risk models, newest first, each with its model card: data window, features, hold-out AUC, calibration and lift by decile, protected-attribute check (admin)",
    tags: ['risk'],
    access: ['admin'],
    async handler({ db, user }) {
      const rows = await db.query<{
        id: string;
        target: RiskModelEntry['target'];
        status: RiskModelEntry['status'];
        trainedAt: Date;
        card: unknown;
      }>(
        `SELECT id, target, status, trained_at AS "trainedAt", card FROM risk_models WHERE org_id = $1 ORDER BY trained_at DESC, target LIMIT 20`,
        [user.orgId],
      );
      return {
        models: rows.map((r) => ({
          id: r.id,
          target: r.target,
          status: r.status,
          trainedAt: r.trainedAt.toISOString(),
          card: ModelCard.parse(r.card),
        })),
      };
    },
  }),
];
