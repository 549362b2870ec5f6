import { ROUTES } from '../../shared/api/routes';
import { MESSAGE_ACTIONS, type StrategyDef } from '../../shared/domain/strategy';
import { complianceNow } from '../compliance/clock';
import type { Db } from '../db';
import { HttpError, notFound } from '../http/errors';
import { defineRoute } from '../http/route';
import { findTemplate } from '../messaging/templates';
import { simulateStrategy } from './simulate';
import { contactCostsView, saveContactCosts } from './costs';
import { strategyResults } from './results';
import { getStrategy, listStrategies, saveStrategy, StrategyNameTaken } from './store';

/** Every step's template must be one of the organisation's, active, and of the step's channel (a letter takes any). */
async function checkTemplates(db: Db, orgId: string, def: StrategyDef): Promise<void> {
  const ladders: Array<[string, StrategyDef['steps']]> = [['steps', def.steps]];
  if (def.challenger) ladders.push(['challenger.steps', def.challenger.steps]);
  for (const [path, steps] of ladders) {
    for (const [i, step] of steps.entries()) {
      if (!step.templateId) continue;
      const t = await findTemplate(db, orgId, step.templateId);
      const field = `${path}.${i}.templateId`;
      if (!t || !t.active) throw new HttpError(400, 'invalid_request', `step "${step.key}": no active template with that id`, field);
      if ((MESSAGE_ACTIONS as readonly string[]).includes(step.action) && t.channel !== step.action)
        throw new HttpError(400, 'invalid_request', `step "${step.key}" is ${step.action} but template "${t.name}" is ${t.channel}`, field);
    }
  }
}

const nameTaken = (name: string) => new HttpError(409, 'strategy_name_taken', `a strategy named "${name}" already exists`, 'name');

async function save(db: Db, orgId: string, userId: string, id: string | null, def: StrategyDef) {
  await checkTemplates(db, orgId, def);
  try {
    const saved = await saveStrategy(db, orgId, userId, id, def);
    if (!saved) throw notFound('strategy');
    return saved;
  } catch (e) {
    if (e instanceof StrategyNameTaken) throw nameTaken(def.name);
    throw e;
  }
}

export const strategyRoutes = [
  defineRoute({
    ...ROUTES.strategies,
    summary: "The organisation's collection strategies",
    tags: ['strategies'],
    access: ['admin'],
    async handler({ db, user }) {
      return { strategies: await listStrategies(db, user.orgId) };
    },
  }),
  defineRoute({
    ...ROUTES.createStrategy,
    summary: 'Create a strategy (off until switched on)',
    tags: ['strategies'],
    access: ['admin'],
    successStatus: 201,
    errors: [400, 409],
    async handler({ db, user, body }) {
      return save(db, user.orgId, user.id, null, body);
    },
  }),
  defineRoute({
    ...ROUTES.updateStrategy,
    summary: 'Replace a strategy, or switch it on or off',
    tags: ['strategies'],
    access: ['admin'],
    errors: [400, 404, 409],
    async handler({ db, user, params, body }) {
      return save(db, user.orgId, user.id, params.id, body);
    },
  }),
  defineRoute({
    ...ROUTES.strategyResults,
    summary:
      'Champion against challenger: cure rate, contacts per cure, and per currency accounts, amount collected, cost and cost per peso',
    tags: ['strategies'],
    access: ['admin'],
    errors: [404],
    async handler({ db, user, params }) {
      if (!(await getStrategy(db, user.orgId, params.id))) throw notFound('strategy');
      return strategyResults(db, user.orgId, params.id, complianceNow().toISOString().slice(0, 10));
    },
  }),
  defineRoute({
    ...ROUTES.simulateStrategy,
    summary: "What a strategy would send over the next days against today's portfolio, and what compliance would hold back",
    tags: ['strategies'],
    access: ['admin'],
    errors: [400],
    async handler({ db, user, body }) {
      await checkTemplates(db, user.orgId, body.strategy);
      return simulateStrategy(db, user.orgId, body.strategy, complianceNow(), body.days);
    },
  }),
  defineRoute({
    ...ROUTES.contactCosts,
    summary: 'The price of one contact per currency and channel (the organisation’s or the default)',
    tags: ['strategies'],
    access: ['admin'],
    async handler({ db, user }) {
      return contactCostsView(db, user.orgId);
    },
  }),
  defineRoute({
    ...ROUTES.saveContactCosts,
    summary: 'Sets the organisation’s prices per contact (the rest go back to the defaults); audited',
    tags: ['strategies'],
    access: ['admin'],
    errors: [400],
    async handler({ db, user, body }) {
      await saveContactCosts(db, user.orgId, user.id, body);
      return contactCostsView(db, user.orgId);
    },
  }),
];
