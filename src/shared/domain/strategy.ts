import { z } from 'zod';
import { CountryCode, Segment } from './enums';

/**
 * A collection strategy ("estrategia"): which accounts it applies to, and a ladder of steps placed
 * by days relative to an anchor. The rules that decide a step live in src/shared/rules/strategy.ts;
 * docs/strategies.md explains the model.
 */

/** What a step does. Messages go through the messaging path; a call task puts the account in its agent's queue. */
export const StepAction = z.enum(['email', 'sms', 'whatsapp', 'call_task', 'letter', 'handover']);
export type StepAction = z.infer<typeof StepAction>;

/** Actions that send a message from a template through a provider. */
export const MESSAGE_ACTIONS = ['email', 'sms', 'whatsapp'] as const satisfies readonly StepAction[];

/**
 * What the step's day counts from:
 * - due_date: the account's due date (negative days are preventive reminders);
 * - installment: each pending instalment of an open promise (−1 = the day before it falls due);
 * - promise_broken: the due date of the instalment that broke the promise (+1 = the day after).
 */
export const StepAnchor = z.enum(['due_date', 'installment', 'promise_broken']);
export type StepAnchor = z.infer<typeof StepAnchor>;

export const StepConditions = z
  .object({
    /** Only when the balance is at least this much (minor units of the account's currency). */
    minBalanceMinor: z.number().int().nonnegative().nullable().default(null),
    /** Only for these segments (empty = every segment the strategy applies to). */
    segments: z.array(Segment).default([]),
  })
  .strict();
export type StepConditions = z.infer<typeof StepConditions>;

export const StrategyStep = z
  .object({
    /** Stable within the strategy: the run ledger keys on it, so renaming a step never re-sends it. */
    key: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'step key: 1–40 lower-case letters, digits, _ or -'),
    anchor: StepAnchor,
    /** Days from the anchor in the debtor's calendar; negative = before it. */
    day: z.number().int().min(-60).max(365),
    action: StepAction,
    /** The message template (e-mail, SMS, WhatsApp, letter); null for call tasks and hand-overs. */
    templateId: z.string().uuid().nullable().default(null),
    /**
     * Days after its day the step may still go when compliance holds it back (0 = that day only).
     * Past the window it is skipped with the reason, never sent late.
     */
    validDays: z.number().int().min(0).max(30).default(2),
    conditions: StepConditions.default({ minBalanceMinor: null, segments: [] }),
  })
  .strict()
  .superRefine((s, ctx) => {
    const needsTemplate = (MESSAGE_ACTIONS as readonly string[]).includes(s.action) || s.action === 'letter';
    if (needsTemplate && !s.templateId)
      ctx.addIssue({ code: 'custom', path: ['templateId'], message: `a ${s.action} step needs a template` });
    if (!needsTemplate && s.templateId)
      ctx.addIssue({ code: 'custom', path: ['templateId'], message: `a ${s.action} step takes no template` });
  });
export type StrategyStep = z.infer<typeof StrategyStep>;
export type StrategyStepInput = z.input<typeof StrategyStep>;

/** Which accounts a strategy applies to. Empty lists mean "any". */
export const StrategyScope = z
  .object({
    segments: z.array(Segment).default([]),
    products: z.array(z.string().trim().min(1).max(80)).default([]),
    countries: z.array(CountryCode).default([]),
    /** Days past due on the planning day, inclusive; null = unbounded. Negative DPD = not yet due. */
    dpdMin: z.number().int().min(-365).max(10_000).nullable().default(null),
    dpdMax: z.number().int().min(-365).max(10_000).nullable().default(null),
  })
  .strict()
  .refine((s) => s.dpdMin === null || s.dpdMax === null || s.dpdMin <= s.dpdMax, { path: ['dpdMax'], message: 'dpdMax below dpdMin' });
export type StrategyScope = z.infer<typeof StrategyScope>;

const Ladder = z
  .array(StrategyStep)
  .min(1)
  .max(50)
  .superRefine((steps, ctx) => {
    const seen = new Set<string>();
    steps.forEach((s, i) => {
      if (seen.has(s.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `step key "${s.key}" used twice` });
      seen.add(s.key);
    });
  });

/** The body an admin sends to create or replace a strategy. */
export const StrategyInput = z
  .object({
    name: z.string().trim().min(1).max(80),
    active: z.boolean().default(false),
    /** Lower first when several active strategies match an account: an account follows one strategy. */
    rank: z.number().int().min(0).max(1000).default(100),
    scope: StrategyScope,
    steps: Ladder,
    /** A challenger ladder that a stable share of the accounts follows instead (champion/challenger). */
    challenger: z
      .object({ sharePercent: z.number().int().min(1).max(50), steps: Ladder })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();
export type StrategyInput = z.input<typeof StrategyInput>;
export type StrategyDef = z.infer<typeof StrategyInput>;

export const Strategy = z.object({
  id: z.string().uuid(),
  ...StrategyInput.shape,
  revision: z.number().int(),
  updatedAt: z.string(),
});
export type Strategy = z.infer<typeof Strategy>;

export const StrategyList = z.object({ strategies: z.array(Strategy) });

/** Run ledger states. */
export const RunStatus = z.enum(['waiting', 'sent', 'tasked', 'handed_over', 'skipped']);
export type RunStatus = z.infer<typeof RunStatus>;

/** One day × channel cell of a simulation. */
export const SimulationDay = z.object({
  date: z.string(),
  action: StepAction,
  sent: z.number().int(),
  waited: z.number().int(),
  held: z.number().int(),
});
export const Simulation = z.object({
  strategyId: z.string().uuid(),
  from: z.string(),
  days: z.number().int(),
  accounts: z.number().int(),
  cells: z.array(SimulationDay),
  /** Why compliance or a stop held steps back, counted by reason. */
  heldReasons: z.array(z.object({ code: z.string(), es: z.string(), en: z.string(), count: z.number().int() })),
});
export type Simulation = z.infer<typeof Simulation>;

/** One currency of one arm: money and cost compared within the currency, never across. */
export const CurrencyResult = z.object({
  currency: z.string(),
  /** Accounts of this arm in this currency. */
  accounts: z.number().int(),
  /** Payments posted since the account's first run of this ladder (minor units). */
  collectedMinor: z.number(),
  /** What the ladder's contacts cost at the organisation's prices (minor units; src/shared/domain/contact-costs.ts). */
  costMinor: z.number(),
  /** costMinor / collectedMinor: pesos spent per peso collected; null when nothing was collected. */
  costPerPeso: z.number().nullable(),
});
export type CurrencyResult = z.infer<typeof CurrencyResult>;

/** Champion / challenger results: what each ladder did to the accounts that followed it. */
export const VariantResult = z.object({
  variant: z.enum(['champion', 'challenger']),
  /** Accounts with at least one run of this ladder. */
  accounts: z.number().int(),
  /** Contacts the ladder made (messages and letters sent). */
  contacts: z.number().int(),
  /** Accounts back to current (nothing past due) or paid off. */
  cured: z.number().int(),
  cureRate: z.number(),
  /** Per currency (never summed across currencies): accounts, collected, cost, cost per peso. */
  currencies: z.array(CurrencyResult),
  /** null when nothing was cured. */
  contactsPerCure: z.number().nullable(),
});
export const StrategyResults = z.object({ strategyId: z.string().uuid(), variants: z.array(VariantResult) });
export type StrategyResults = z.infer<typeof StrategyResults>;
