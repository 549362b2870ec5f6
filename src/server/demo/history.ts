import { randomUUID } from 'node:crypto';
import type { Disposition } from '../../shared/domain/enums';
import { addDays, localDate, zonedTimeToUtc } from '../../shared/domain/time';
import { createRng, type Rng } from '../../shared/lib/rng';
import { PROTOCOL_VERSION } from '../../shared/sync/protocol';
import { USER_COLUMNS, type AuthUser } from '../auth/sessions';
import { recordPayment } from '../collections/payments';
import { CLI_ACTOR } from '../imports/actor';
import { checkOnServer } from '../compliance/check';
import { runPromiseStatusBatch } from '../collections/status-batch';
import type { Db } from '../db';
import { writeTransaction } from '../db/write';
import { push } from '../sync/push';
import { DEMO_AGENTS, type SeedResult } from './seed';

/** How a month of calls goes in a typical early-bucket portfolio (weights, not percentages). */
const OUTCOMES: Array<[Disposition, number]> = [
  ['no_answer', 40],
  ['voicemail', 12],
  ['busy', 8],
  ['third_party', 8],
  ['rpc', 12],
  ['callback_requested', 5],
  ['refused', 5],
  ['promise_to_pay', 10],
];

function pick(rng: Rng): Disposition {
  const total = OUTCOMES.reduce((n, [, w]) => n + w, 0);
  let r = rng() * total;
  for (const [d, w] of OUTCOMES) {
    if ((r -= w) < 0) return d;
  }
  return 'no_answer';
}

interface HeldAccount {
  id: string;
  balance: number;
  timeZone: string;
  phoneId: string | null;
}

/**
 * A month of past work for the demo organisation (`npm start` only, never in tests' seeds):
 * calls in the debtors' daytime, promises, payments that keep some of them, so the account
 * history, the promises panel and the team lead's activity report open on something real.
 * Everything goes through the real paths — the compliance check before each call, the agents'
 * pushes, the payment intake and the kept/broken batch — so it is data the product could have
 * produced.
 */
export async function seedDemoHistory(
  db: Db,
  seed: SeedResult,
  opts: { days?: number; seed?: number; now?: Date } = {},
): Promise<{ attempts: number; promises: number; payments: number }> {
  const rng = createRng(opts.seed ?? 11);
  const now = opts.now ?? new Date();
  const days = opts.days ?? 30;
  let attempts = 0;
  let promises = 0;
  let payments = 0;
  const kept: Array<{ accountId: string; amount: number; currency: string; paidAt: string }> = [];
  for (const username of DEMO_AGENTS) {
    const [user] = await db.query<AuthUser>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [seed.users[username]]);
    if (!user) continue;
    const held = await db.query<HeldAccount & { currency: string }>(
      `SELECT a.id, a.balance_minor AS balance, a.currency, d.time_zone AS "timeZone",
              (SELECT c.id FROM contact_points c WHERE c.debtor_id = d.id AND c.kind = 'phone' AND NOT c.invalid ORDER BY c.id LIMIT 1) AS "phoneId"
       FROM accounts a JOIN debtors d ON d.id = a.debtor_id
       WHERE a.assigned_agent_id = $1 AND a.status = 'active' ORDER BY a.external_ref`,
      [user.id],
    );
    // one workstation per agent, pushing each attempt as it happens (the next one is judged with it)
    const clientId = randomUUID();
    let next = 1;
    const send = async (items: Array<[name: string, args: unknown]>, at: string) => {
      const res = await push(db, user, {
        protocolVersion: PROTOCOL_VERSION,
        clientId,
        mutations: items.map(([name, args]) => ({ id: next++, name, args, clientTime: at })),
      });
      return res.results.map((r) => r.status === 'applied');
    };
    for (const a of held) {
      if (!a.phoneId || rng() > 0.6) continue;
      const tries = 1 + Math.floor(rng() * 3);
      // distinct past days, oldest first, between 09:00 and 17:59 where the debtor is
      const dayOffsets = [...new Set(Array.from({ length: tries }, () => 1 + Math.floor(rng() * (days - 1))))].sort((x, y) => y - x);
      for (const back of dayOffsets) {
        const date = addDays(localDate(now, a.timeZone), -back);
        const at = zonedTimeToUtc(
          date,
          `${String(9 + Math.floor(rng() * 9)).padStart(2, '0')}:${String(Math.floor(rng() * 60)).padStart(2, '0')}`,
          a.timeZone,
        );
        // an agent's workstation does not dial what the rules forbid (hours, holidays, caps, channels)
        const decision = await checkOnServer(db, { orgId: seed.orgId, accountId: a.id, contactPointId: a.phoneId, channel: 'call', at });
        if (!decision.allowed) continue;
        const disposition = pick(rng);
        const startedAt = at.toISOString();
        const items: Array<[string, unknown]> = [
          ['activity.log', { id: randomUUID(), accountId: a.id, channel: 'call', contactPointId: a.phoneId, disposition, startedAt }],
        ];
        let payment: (typeof kept)[number] | null = null;
        if (disposition === 'promise_to_pay') {
          // the whole balance or a part of it, within the next 3-10 days; one the promise policy
          // refuses (too small a part of a small balance) is refused here as on any workstation
          const amount = rng() < 0.4 ? a.balance : Math.round(a.balance * (0.15 + rng() * 0.5));
          const dueDate = addDays(date, 3 + Math.floor(rng() * 8));
          items.push([
            'promise.create',
            { id: randomUUID(), accountId: a.id, channel: 'call', createdAt: startedAt, installments: [{ dueDate, amountMinor: amount }] },
          ]);
          // about two in three promises that fell due were kept, on or just before the day
          if (dueDate < localDate(now, a.timeZone) && rng() < 0.65) {
            payment = {
              accountId: a.id,
              amount,
              currency: a.currency,
              paidAt: zonedTimeToUtc(addDays(dueDate, -Math.floor(rng() * 2)), '12:00', a.timeZone).toISOString(),
            };
          }
        }
        const [logged, promised] = await send(items, startedAt);
        if (logged) attempts++;
        if (promised) {
          promises++;
          if (payment) kept.push(payment);
        }
        if (disposition === 'promise_to_pay') break; // a debtor who promised is not called again before the due date
      }
    }
  }
  for (const k of kept) {
    await writeTransaction(db, seed.orgId, async (tx) => {
      const r = await recordPayment(
        tx,
        seed.orgId,
        {
          accountId: k.accountId,
          reference: `DEMO-${randomUUID().slice(0, 8)}`,
          amountMinor: k.amount,
          currency: k.currency,
          paidAt: k.paidAt,
        },
        now,
        CLI_ACTOR,
      );
      if (r.created) payments++;
    });
  }
  await runPromiseStatusBatch(db, now, seed.orgId);
  return { attempts, promises, payments };
}
