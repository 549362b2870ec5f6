import { randomUUID } from 'node:crypto';
import type { Db } from '../../../src/server/db';
import { saveStrategy } from '../../../src/server/strategies/store';
import { StrategyInput, type Strategy } from '../../../src/shared/domain/strategy';

/**
 * A portfolio for the strategy tests: ordinary accounts in four countries, all due on the same
 * day, plus named accounts in Colombia that exercise each stop and rule (the expected table in
 * engine-45-days.test.ts is written against them).
 */
export const COUNTRIES = {
  CO: { zone: 'America/Bogota', phone: (i: number) => `+57300${String(1000000 + i)}` },
  MX: { zone: 'America/Mexico_City', phone: (i: number) => `+52155${String(10000000 + i)}` },
  PE: { zone: 'America/Lima', phone: (i: number) => `+51912${String(100000 + i)}` },
  CL: { zone: 'America/Santiago', phone: (i: number) => `+56912${String(100000 + i)}` },
} as const;
export type Country = keyof typeof COUNTRIES;

export const DUE = '2027-01-20';

export interface Portfolio {
  orgId: string;
  agentId: string;
  smsTemplateId: string;
  letterTemplateId: string;
  strategy: Strategy;
  /** Named accounts by label; ordinary ones as `${country}-${n}`. */
  accounts: Map<string, string>;
}

export async function seedStrategyPortfolio(db: Db, opts: { perCountry: number }): Promise<Portfolio> {
  const [org] = await db.query<{ id: string }>(
    `INSERT INTO organizations (name, country, time_zone) VALUES ('Cobranzas Estrategia', 'CO', 'America/Bogota') RETURNING id`,
  );
  const orgId = org!.id;
  const [agent] = await db.query<{ id: string }>(
    `INSERT INTO users (org_id, username, display_name, role, password_hash) VALUES ($1, 'agente1', 'Agente Uno', 'agent', '!') RETURNING id`,
    [orgId],
  );
  const agentId = agent!.id;
  const [sms] = await db.query<{ id: string }>(
    `INSERT INTO message_templates (org_id, name, channel, body) VALUES ($1, 'Recordatorio', 'sms', 'Hola {{nombre}}, su pago de {{monto}} vence el {{fecha_vencimiento}}.') RETURNING id`,
    [orgId],
  );
  const [letter] = await db.query<{ id: string }>(
    `INSERT INTO message_templates (org_id, name, channel, subject, body) VALUES ($1, 'Carta de cobro', 'email', 'Aviso de mora', 'Señor(a) {{nombre}}: su obligación presenta {{dias_mora}} días de mora por {{monto}}.') RETURNING id`,
    [orgId],
  );
  const accounts = new Map<string, string>();
  let n = 0;
  async function add(label: string, country: Country, over: { due?: string; authorized?: string[]; status?: string } = {}) {
    n++;
    const c = COUNTRIES[country];
    const [d] = await db.query<{ id: string }>(
      `INSERT INTO debtors (org_id, external_id, name, national_id, country, time_zone, debtor_type, segment, contact_prefs)
       VALUES ($1, $2, $3, $4, $5, $6, 'individual', 'medium', $7::jsonb) RETURNING id`,
      [
        orgId,
        `D-${n}`,
        `Deudor ${label}`,
        String(10_000_000 + n),
        country,
        c.zone,
        JSON.stringify({
          authorizedChannels: over.authorized ?? ['sms', 'call', 'letter', 'email'],
          preferredChannel: null,
          windows: [],
          preferredPaymentDay: null,
        }),
      ],
    );
    await db.query(
      `INSERT INTO contact_points (debtor_id, kind, value, verified) VALUES ($1, 'phone', $2, true), ($1, 'address', $3, true)`,
      [d!.id, c.phone(n), `Calle ${n} # 10-20`],
    );
    const id = randomUUID();
    await db.query(
      `INSERT INTO accounts (id, org_id, debtor_id, external_ref, product, currency, principal_minor, balance_minor, due_date, status, assigned_agent_id)
       VALUES ($1, $2, $3, $4, 'tarjeta', 'COP', 100000000, 80000000, $5, $6, $7)`,
      [id, orgId, d!.id, `A-${n}`, over.due ?? DUE, over.status ?? 'active', agentId],
    );
    accounts.set(label, id);
    return id;
  }
  for (const country of Object.keys(COUNTRIES) as Country[])
    for (let i = 1; i <= opts.perCountry; i++) await add(`${country}-${i}`, country);
  // 11 Jan 2027 is a public holiday in Colombia (Reyes Magos, moved to Monday)
  await add('holiday', 'CO', { due: '2027-01-12' });
  await add('cap-sms', 'CO');
  await add('cap-call', 'CO');
  await add('paid', 'CO');
  await add('promise', 'CO');
  await add('dispute', 'CO', { status: 'dispute' });
  await add('refused-sms', 'CO', { authorized: ['call', 'letter'] });
  await add('legal', 'CO');
  await db.query(`UPDATE accounts SET legal_stage = true WHERE id = $1`, [accounts.get('legal')]);

  const strategy = await saveStrategy(
    db,
    orgId,
    agentId,
    null,
    StrategyInput.parse({
      name: 'Temprana',
      active: true,
      scope: { dpdMin: -10, dpdMax: 60 },
      steps: [
        { key: 'pre5', anchor: 'due_date', day: -5, action: 'sms', templateId: sms!.id, validDays: 1 },
        { key: 'pre1', anchor: 'due_date', day: -1, action: 'sms', templateId: sms!.id, validDays: 1 },
        { key: 'call3', anchor: 'due_date', day: 3, action: 'call_task', validDays: 2 },
        { key: 'letter10', anchor: 'due_date', day: 10, action: 'letter', templateId: letter!.id, validDays: 3 },
        { key: 'hand20', anchor: 'due_date', day: 20, action: 'handover', validDays: 0 },
        { key: 'inst1', anchor: 'installment', day: -1, action: 'sms', templateId: sms!.id, validDays: 0 },
        { key: 'broken1', anchor: 'promise_broken', day: 1, action: 'sms', templateId: sms!.id, validDays: 2 },
      ],
    }),
  );
  return { orgId, agentId, smsTemplateId: sms!.id, letterTemplateId: letter!.id, strategy: strategy!, accounts };
}

/** An agent's own contact, recorded as the sync path records it. */
export async function agentContact(db: Db, p: Portfolio, label: string, channel: 'sms' | 'call', at: string): Promise<void> {
  await db.query(
    `INSERT INTO activities (id, account_id, agent_id, channel, direction, disposition, started_at) VALUES ($1, $2, $3, $4, 'outbound', 'no_answer', $5)`,
    [randomUUID(), p.accounts.get(label), p.agentId, channel, at],
  );
}
