import { randomUUID } from 'node:crypto';
import { ContactPreferences } from '../../shared/domain/entities';
import { addDays, localDate, zonedTimeToUtc } from '../../shared/domain/time';
import { createRng, type Rng } from '../../shared/lib/rng';
import { legalHours, type LegalContext } from '../../shared/rules/contact-habits';
import { PROTOCOL_VERSION } from '../../shared/sync/protocol';
import { USER_COLUMNS, type AuthUser } from '../auth/sessions';
import { checkOnServer } from '../compliance/check';
import { loadOrgCompliance } from '../compliance/rules-store';
import type { Db } from '../db';
import { push } from '../sync/push';
import { answerChance, hiddenTraits } from './hidden';
import { DEMO_AGENTS, type SeedResult } from './seed';

interface Held {
  accountId: string;
  debtorId: string;
  externalId: string;
  country: string;
  timeZone: string;
  contactPrefs: unknown;
  phoneId: string | null;
}

const weekdayOf = (date: string) => new Date(`${date}T12:00:00Z`).getUTCDay();

/** The legal hour cells of one weekday (hours 0–23), for the debtor. */
function legalOn(ctx: LegalContext, weekday: number): number[] {
  const legal = legalHours(ctx);
  const out: number[] = [];
  for (let h = 0; h < 24; h++) if (legal[weekday * 24 + h]) out.push(h);
  return out;
}

async function heldBy(db: Db, orgId: string, userId: string): Promise<Held[]> {
  // one account per debtor: the law counts contacts per debtor
  return db.query<Held>(
    `SELECT DISTINCT ON (d.id) a.id AS "accountId", d.id AS "debtorId", d.external_id AS "externalId", d.country,
            d.time_zone AS "timeZone", d.contact_prefs AS "contactPrefs",
            (SELECT c.id FROM contact_points c WHERE c.debtor_id = d.id AND c.kind = 'phone' AND NOT c.invalid ORDER BY c.id LIMIT 1) AS "phoneId"
     FROM accounts a JOIN debtors d ON d.id = a.debtor_id
     WHERE a.org_id = $1 AND a.assigned_agent_id = $2 AND a.status = 'active' ORDER BY d.id, a.id`,
    [orgId, userId],
  );
}

function context(h: Held, org: LegalContext['org']): LegalContext {
  return {
    debtor: { id: h.debtorId, country: h.country, timeZone: h.timeZone, contactPrefs: ContactPreferences.parse(h.contactPrefs ?? {}) },
    org,
  };
}

/**
 * Calls every debtor once a day at a random legal hour for `days` days before `now`, the answer
 * drawn from the debtor's hidden habits (hidden.ts), through the real paths: the compliance check
 * before each call and each agent's workstation push. Right-party answers are logged as `rpc`,
 * the others as no answer or voicemail (no promises: this history is about hours).
 */
export async function simulateCallHistory(
  db: Db,
  seed: SeedResult,
  opts: { days: number; now: Date; seed?: number; hiddenSeed?: number },
): Promise<{ attempts: number; rpc: number }> {
  const rng = createRng(opts.seed ?? 23);
  const c = await loadOrgCompliance(db, seed.orgId);
  const org = { country: c.country, timeZone: c.timeZone, overrides: c.rules.overrides };
  let attempts = 0;
  let rpc = 0;
  for (const username of DEMO_AGENTS) {
    const [user] = await db.query<AuthUser>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [seed.users[username]]);
    if (!user) continue;
    const held = (await heldBy(db, seed.orgId, user.id)).filter((h) => h.phoneId);
    const clientId = randomUUID();
    let next = 1;
    for (let back = opts.days; back >= 1; back--) {
      const items: Array<{ id: number; name: string; args: unknown; clientTime: string }> = [];
      for (const h of held) {
        const date = addDays(localDate(opts.now, h.timeZone), -back);
        const hours = legalOn(context(h, org), weekdayOf(date));
        if (hours.length === 0) continue;
        const hour = hours[Math.floor(rng() * hours.length)]!;
        const at = zonedTimeToUtc(date, `${String(hour).padStart(2, '0')}:${String(Math.floor(rng() * 60)).padStart(2, '0')}`, h.timeZone);
        const decision = await checkOnServer(db, {
          orgId: seed.orgId,
          accountId: h.accountId,
          contactPointId: h.phoneId,
          channel: 'call',
          at,
        });
        if (!decision.allowed) continue;
        const answered = rng() < answerChance(hiddenTraits(h.externalId, opts.hiddenSeed), weekdayOf(date) * 24 + hour);
        const disposition = answered ? 'rpc' : rng() < 0.7 ? 'no_answer' : 'voicemail';
        const startedAt = at.toISOString();
        items.push({
          id: next++,
          name: 'activity.log',
          args: { id: randomUUID(), accountId: h.accountId, channel: 'call', contactPointId: h.phoneId, disposition, startedAt },
          clientTime: startedAt,
        });
        if (answered) rpc++;
      }
      if (items.length === 0) continue;
      const res = await push(db, user, { protocolVersion: PROTOCOL_VERSION, clientId, mutations: items });
      attempts += res.results.filter((r) => r.status === 'applied').length;
    }
  }
  return { attempts, rpc };
}

export interface HabitsMeasure {
  debtors: number;
  calls: number;
  /** Share of right-party contacts calling at the recommended (best) hour of each day. */
  recommended: number;
  /** The same days and debtors, each called at a random legal hour. */
  random: number;
}

/**
 * Over the `days` days after `now`, each debtor with learned best hours is called once a day in
 * two ways, the answer drawn from their hidden habits: at the best of their best hours that falls
 * on that day, and at a random legal hour of that day. Days with no best hour are left out of both.
 */
export async function measureHabits(
  db: Db,
  orgId: string,
  opts: { days: number; now: Date; seed?: number; hiddenSeed?: number },
): Promise<HabitsMeasure> {
  const rng = createRng(opts.seed ?? 29);
  const c = await loadOrgCompliance(db, orgId);
  const org = { country: c.country, timeZone: c.timeZone, overrides: c.rules.overrides };
  const rows = await db.query<Held & { bestHours: number[] }>(
    `SELECT d.id AS "debtorId", d.external_id AS "externalId", d.country, d.time_zone AS "timeZone", d.contact_prefs AS "contactPrefs",
            h.best_hours AS "bestHours"
     FROM contact_habits h JOIN debtors d ON d.id = h.debtor_id WHERE h.org_id = $1 AND cardinality(h.best_hours) > 0 ORDER BY d.id`,
    [orgId],
  );
  let calls = 0;
  let hitsBest = 0;
  let hitsRandom = 0;
  const draw = (r: Rng, p: number) => (r() < p ? 1 : 0);
  for (const h of rows) {
    const traits = hiddenTraits(h.externalId, opts.hiddenSeed);
    const ctx = context({ ...h, accountId: '', phoneId: null }, org);
    for (let d = 1; d <= opts.days; d++) {
      const weekday = weekdayOf(addDays(localDate(opts.now, h.timeZone), d));
      const best = h.bestHours.find((how) => Math.floor(how / 24) === weekday);
      const legal = legalOn(ctx, weekday);
      if (best === undefined || legal.length === 0) continue;
      const randomHour = legal[Math.floor(rng() * legal.length)]!;
      calls++;
      hitsBest += draw(rng, answerChance(traits, best));
      hitsRandom += draw(rng, answerChance(traits, weekday * 24 + randomHour));
    }
  }
  return { debtors: rows.length, calls, recommended: calls ? hitsBest / calls : 0, random: calls ? hitsRandom / calls : 0 };
}
