import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/server/db';
import { migrate } from '../../../src/server/db/migrate';
import { twilioSms } from '../../../src/server/messaging/providers/twilio';
import { runEngineAt } from '../../../src/server/strategies/day';
import { sendStrategyMessage } from '../../../src/server/strategies/send';
import { addDays, localDate } from '../../../src/shared/domain/time';
import { startFakeTwilio, type FakeProvider } from '../../helpers/fake-providers';
import { createTestDatabase, type TestDatabase } from '../../helpers/pg';
import { agentContact, COUNTRIES, seedStrategyPortfolio, type Country, type Portfolio } from './portfolio';

/**
 * A strategy over 228 accounts in four countries runs through 45 days on a clock the test moves
 * (seven engine passes a day, 06:00–18:00 in Bogotá). The table below is written by hand from the
 * ladder, the calendar and the law profiles; every step of every account must match it.
 */
const START = '2026-12-28';
const DAYS = 45;
const TICKS_UTC = [11, 13, 15, 17, 19, 21, 23];
const PER_COUNTRY = 55;

type Row = [step: string, status: string, date: string, reason?: string];
const ORDINARY: Row[] = [
  ['pre5', 'sent', '2027-01-15'],
  ['pre1', 'sent', '2027-01-19'],
  ['call3', 'tasked', '2027-01-23'], // a Saturday: calls allowed in MX and CL
  ['letter10', 'sent', '2027-01-30'],
  ['hand20', 'handed_over', '2027-02-09'],
];
const ALL_STOPPED = (reason: string): Row[] => [
  ['pre5', 'skipped', '2027-01-15', reason],
  ['pre1', 'skipped', '2027-01-19', reason],
  ['call3', 'skipped', '2027-01-23', reason],
  ['letter10', 'skipped', '2027-01-30', reason],
  ['hand20', 'skipped', '2027-02-09', reason],
];
// Colombia allows one channel a week (Ley 2300): after the SMS of the 19th no call before the 26th, past the task's window
const CO_CALL_HELD: Row = ['call3', 'skipped', '2027-01-23', 'window.compliance'];
const CO = ORDINARY.map((r) => (r[0] === 'call3' ? CO_CALL_HELD : r));
const EXPECTED: Record<string, Row[]> = {
  CO,
  // Peru forbids calls on Saturdays: the call task waits for Monday, inside its two-day window
  PE: ORDINARY.map((r) => (r[0] === 'call3' ? ['call3', 'tasked', '2027-01-25'] : r)),
  // due 12 Jan; the −1 SMS falls on the 11th, a Colombian holiday: it waits for the 12th (window of one day)
  holiday: [
    ['pre5', 'sent', '2027-01-07'],
    ['pre1', 'sent', '2027-01-12'],
    // the SMS of the 12th holds calls until the 19th: past the task's window (15–17 Jan)
    ['call3', 'skipped', '2027-01-15', 'window.compliance'],
    ['letter10', 'sent', '2027-01-22'],
    ['hand20', 'handed_over', '2027-02-01'],
  ],
  // an agent sent an SMS at 07:30 on the 15th: one contact a day (Ley 2300) moves ours to Saturday the 16th
  'cap-sms': [['pre5', 'sent', '2027-01-16'], ...CO.slice(1)],
  // an agent called on the 18th: one channel a week (Ley 2300) holds the SMS until the 25th, past its window
  // …and with no SMS that week the call task goes on Saturday the 23rd (calls 08–15)
  'cap-call': [ORDINARY[0]!, ['pre1', 'skipped', '2027-01-19', 'window.compliance'], ...ORDINARY.slice(2)],
  paid: ALL_STOPPED('stop.paid'),
  dispute: ALL_STOPPED('stop.dispute'),
  legal: ALL_STOPPED('stop.legal'),
  // the debtor authorised calls and letters only (an opt-out of SMS is the same consent model)
  'refused-sms': [
    ['pre5', 'skipped', '2027-01-15', 'hard.channel_not_authorized'],
    ['pre1', 'skipped', '2027-01-19', 'hard.channel_not_authorized'],
    ...ORDINARY.slice(2),
  ],
  // promise made before the ladder (instalment due 26 Jan), broken on the 27th
  promise: [
    ['pre5', 'skipped', '2027-01-15', 'stop.promised'],
    ['pre1', 'skipped', '2027-01-19', 'stop.promised'],
    ['call3', 'skipped', '2027-01-23', 'stop.promised'],
    ['inst1', 'sent', '2027-01-25'],
    ['broken1', 'sent', '2027-01-27'],
    // the follow-up SMS of the 27th holds every other channel for a week: past the letter's window (30 Jan – 2 Feb)
    ['letter10', 'skipped', '2027-01-30', 'window.compliance'],
    ['hand20', 'handed_over', '2027-02-09'],
  ],
};

describe('a strategy over 45 days (PostgreSQL)', () => {
  let pg: TestDatabase;
  let db: Db;
  let p: Portfolio;
  let twilio: FakeProvider;
  const creds = { accountSid: 'AC' + '1'.repeat(32), authToken: 'tok' };

  beforeAll(async () => {
    pg = await createTestDatabase('strat45');
    db = await openDb({ url: pg.url });
    await migrate(db);
    p = await seedStrategyPortfolio(db, { perCountry: PER_COUNTRY });
    twilio = await startFakeTwilio(creds);
    const providers = { sms: twilioSms({ baseUrl: twilio.url, ...creds, from: '+15005550006' }) };

    // the paid account pays off before the ladder; the promise is made before it too
    await db.query('UPDATE accounts SET balance_minor = 0 WHERE id = $1', [p.accounts.get('paid')]);
    const promiseId = '00000000-0000-4000-8000-00000000beef';
    await db.query(
      `INSERT INTO promises (id, account_id, agent_id, channel, currency, created_at) VALUES ($1, $2, $3, 'call', 'COP', '2027-01-05T15:00:00Z')`,
      [promiseId, p.accounts.get('promise'), p.agentId],
    );
    await db.query(`INSERT INTO promise_installments (promise_id, seq, due_date, amount_minor) VALUES ($1, 1, '2027-01-26', 20000000)`, [
      promiseId,
    ]);

    for (let d = 0; d < DAYS; d++) {
      const day = addDays(START, d);
      if (day === '2027-01-27') {
        await db.query(`UPDATE promises SET status = 'broken' WHERE id = $1`, [promiseId]);
        await db.query(`UPDATE promise_installments SET status = 'broken' WHERE promise_id = $1`, [promiseId]);
      }
      for (const h of TICKS_UTC) {
        const at = new Date(`${day}T${String(h).padStart(2, '0')}:00:00Z`);
        if (day === '2027-01-15' && h === 13) await agentContact(db, p, 'cap-sms', 'sms', '2027-01-15T12:30:00Z');
        if (day === '2027-01-18' && h === 17) await agentContact(db, p, 'cap-call', 'call', '2027-01-18T15:00:00Z');
        await runEngineAt(db, at, async (_run, r) => {
          if (r.kind === 'message') await sendStrategyMessage(db, providers, r.messageId, { sms: 1000 });
        });
      }
    }
  }, 600_000);

  afterAll(async () => {
    await twilio?.close();
    await db?.close();
    await pg?.drop();
  });

  it('every step of every account matches the hand-written table', async () => {
    const rows = await db.query<{
      accountId: string;
      stepKey: string;
      status: string;
      reasonCode: string | null;
      doneAt: Date | null;
      zone: string;
    }>(
      `SELECT r.account_id AS "accountId", r.step_key AS "stepKey", r.status, r.reason_code AS "reasonCode", r.done_at AS "doneAt", d.time_zone AS zone
       FROM strategy_runs r JOIN accounts a ON a.id = r.account_id JOIN debtors d ON d.id = a.debtor_id`,
    );
    const byAccount = new Map<string, Row[]>();
    for (const r of rows) {
      const list = byAccount.get(r.accountId) ?? [];
      const row: Row = [r.stepKey, r.status, r.doneAt ? localDate(r.doneAt, r.zone) : 'not done'];
      if (r.reasonCode && r.status === 'skipped') row.push(r.reasonCode);
      list.push(row);
      byAccount.set(r.accountId, list);
    }
    const mismatches: string[] = [];
    for (const [label, id] of p.accounts) {
      const country = label.split('-')[0] as Country;
      const expected = EXPECTED[label] ?? (country in COUNTRIES ? (EXPECTED[country] ?? ORDINARY) : undefined);
      const actual = (byAccount.get(id) ?? []).sort((a, b) => a[2].localeCompare(b[2]) || a[0].localeCompare(b[0]));
      const want = [...expected!].sort((a, b) => a[2].localeCompare(b[2]) || a[0].localeCompare(b[0]));
      if (JSON.stringify(actual) !== JSON.stringify(want)) mismatches.push(`${label}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(want)}`);
    }
    expect(mismatches.slice(0, 8)).toEqual([]);
    expect(p.accounts.size).toBeGreaterThanOrEqual(200);
  });

  it('each SMS step went to the provider exactly once, recorded as a contact of the strategy user', async () => {
    const [sent] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM strategy_runs WHERE status = 'sent' AND action = 'sms'`);
    const [msgs] = await db.query<{ n: number; distinctRuns: number; delivered: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT strategy_run_id)::int AS "distinctRuns", count(*) FILTER (WHERE status = 'sent')::int AS delivered
       FROM outbound_messages WHERE strategy_run_id IS NOT NULL`,
    );
    // 4 countries × 55 × 2 + holiday 2 + cap-sms 2 + cap-call 1 + promise 2
    expect(sent!.n).toBe(4 * PER_COUNTRY * 2 + 7);
    expect(msgs).toEqual({ n: sent!.n, distinctRuns: sent!.n, delivered: sent!.n });
    expect(twilio.requests.length).toBe(sent!.n);
    const [acts] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM activities t JOIN users u ON u.id = t.agent_id WHERE u.system AND t.channel IN ('sms', 'letter')`,
    );
    const [letters] = await db.query<{ n: number; pdf: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE substring(pdf from 1 for 5) = '\\x255044462d'::bytea)::int AS pdf FROM strategy_letters`,
    );
    expect(acts!.n).toBe(sent!.n + letters!.n);
    expect(letters!.pdf).toBe(letters!.n);
  });

  it("a call task puts the account in its agent's queue with the step as the reason", async () => {
    const [a] = await db.query<{ note: string; at: Date }>(`SELECT callback_note AS note, callback_at AS at FROM accounts WHERE id = $1`, [
      p.accounts.get('MX-1'),
    ]);
    expect(a!.note).toBe('Paso 3 de la estrategia Temprana: llamar');
    expect(localDate(a!.at, 'America/Mexico_City')).toBe('2027-01-23');
  });
});
