import { z } from 'zod';

/** The model card of a trained risk model (docs/risk.md, "Model card"), as stored and as shown to admins. */
export const DecileRow = z.object({
  decile: z.number().int(),
  count: z.number().int(),
  meanPredicted: z.number(),
  observedRate: z.number(),
  lift: z.number(),
});
export type DecileRow = z.infer<typeof DecileRow>;

export const ProtectedCheck = z.object({
  attributes: z.array(z.string()),
  sourceColumns: z.array(z.string()),
  found: z.array(z.string()),
  passed: z.boolean(),
});
export type ProtectedCheck = z.infer<typeof ProtectedCheck>;

export const RiskTarget = z.enum(['pay_30', 'roll_30']);
export type RiskTarget = z.infer<typeof RiskTarget>;

export const ModelCard = z.object({
  target: RiskTarget,
  window: z.object({ trainFrom: z.string(), trainTo: z.string(), holdout: z.string(), asOfDays: z.array(z.string()) }),
  rows: z.object({ train: z.number(), holdout: z.number(), trainPositiveRate: z.number(), holdoutPositiveRate: z.number() }),
  features: z.array(z.object({ name: z.string(), coefficient: z.number(), mean: z.number(), sd: z.number() })),
  /** NaN is stored as null by JSON */
  holdoutAuc: z.number().nullable(),
  incumbentAuc: z.number().nullable(),
  deciles: z.array(DecileRow),
  protectedCheck: ProtectedCheck,
  promoted: z.boolean(),
  why: z.string(),
});
export type ModelCard = z.infer<typeof ModelCard>;

export const RiskModelEntry = z.object({
  id: z.string().uuid(),
  target: RiskTarget,
  status: z.enum(['promoted', 'rejected', 'retired']),
  trainedAt: z.string(),
  card: ModelCard,
});
export type RiskModelEntry = z.infer<typeof RiskModelEntry>;

export const RiskModelList = z.object({ models: z.array(RiskModelEntry) });
export type RiskModelList = z.infer<typeof RiskModelList>;
