import type { Channel } from '../../shared/domain/channels';
import { ContactPreferences } from '../../shared/domain/entities';
import { dpdBucket, type Segment } from '../../shared/domain/enums';
import type { CurrencyCode } from '../../shared/domain/money';
import { recommendChannel, type ChannelStats } from '../../shared/rules/channel-recommendation';
import { checkContact } from '../../shared/rules/compliance/check';
import {
  bestLegalHours,
  legalHours,
  segmentPrior,
  smoothedRates,
  type HourCounts,
  type LegalContext,
} from '../../shared/rules/contact-habits';
import { balanceUsd } from '../../shared/rules/priority';
import { evaluateSegment, type SegmentFeatures } from '../../shared/rules/segments';
import { loadOrgCompliance } from '../compliance/rules-store';
import type { Db } from '../db';
import { writeTransaction } from '../db/write';
import { loadSegmentRules } from './segment-rules';
import { channelCounts, debtorFacts, hourCounts, type DebtorFacts } from './sql';

/** Channels a recommendation chooses among, cheapest first (ties go to the cheaper one). */
const RECOMMENDABLE: Channel[] = ['sms', 'whatsapp', 'email', 'call'];
/** Rows per write transaction: short, so the workstations' pushes are never held up for long. */
const CHUNK = 500;

export interface HabitsRow {
  debtorId: string;
  bestHours: number[];
  bestRate: number;
  attempts: number;
  rpc: number;
  segment: Segment;
  segmentRule: string | null;
  channel: { channel: Channel; stage: string; reason: { code: string; params: Record<string, string | number> } } | null;
}

/** What the segment rules read of a debtor (src/shared/rules/segments.ts). */
export function segmentFeatures(f: DebtorFacts): SegmentFeatures {
  return {
    dpd: f.dpd,
    balanceUsd: f.balances.reduce((n, [cur, minor]) => n + balanceUsd(Number(minor), cur as CurrencyCode), 0),
    product: f.product,
    country: f.country,
    promisesBroken: f.promisesBroken,
    score: f.score,
    fileSegment: f.fileSegment,
  };
}

function sum(list: ReadonlyArray<HourCounts>): { attempts: number; rpc: number } {
  return list.reduce((n, c) => ({ attempts: n.attempts + c.attempts, rpc: n.rpc + c.rpc }), { attempts: 0, rpc: 0 });
}

/** The channels the law and the debtor let us use at all (hard rules only; hours are the day's business). */
function allowedChannels(f: DebtorFacts, org: LegalContext['org'], debtor: LegalContext['debtor']): Channel[] {
  return RECOMMENDABLE.filter((channel) =>
    f.contactKinds.some((cp) => {
      const d = checkContact({
        channel,
        contactPoint: { kind: cp.kind as never, value: cp.value, invalid: cp.invalid, doNotContact: cp.doNotContact },
        debtor,
        account: { id: f.id, status: 'active' },
        history: [],
        org,
        at: new Date(Date.UTC(2026, 5, 10, 17)),
      });
      return !d.reasons.some((r) => r.ruleId.startsWith('hard.'));
    }),
  );
}

/** Every debtor's habits row from the organisation's history as of `now` (pure once the rows are read). */
export async function computeHabits(db: Db, orgId: string, now: Date): Promise<HabitsRow[]> {
  const [facts, hours, channels, rules, compliance] = await Promise.all([
    debtorFacts(db, orgId, now),
    hourCounts(db, orgId, now),
    channelCounts(db, orgId, now),
    loadSegmentRules(db, orgId),
    loadOrgCompliance(db, orgId),
  ]);
  const org = { country: compliance.country, timeZone: compliance.timeZone, overrides: compliance.rules.overrides };
  const segmentOf = new Map<string, { segment: Segment; rule: string | null; stage: string }>();
  for (const f of facts) {
    const s = evaluateSegment(rules.rules, segmentFeatures(f));
    segmentOf.set(f.id, { ...s, stage: dpdBucket(f.dpd) });
  }
  // The priors: every debtor's cells pooled by segment; channel outcomes pooled by segment and stage.
  const pooled = new Map<Segment, HourCounts[]>();
  const pooledChannels = new Map<string, ChannelStats[]>();
  for (const f of facts) {
    const { segment, stage } = segmentOf.get(f.id)!;
    const cells = pooled.get(segment) ?? [];
    cells.push(...(hours.get(f.id) ?? []));
    pooled.set(segment, cells);
    const key = `${segment}|${stage}`;
    const acc = pooledChannels.get(key) ?? [];
    for (const c of channels.get(f.id) ?? []) {
      const x = acc.find((a) => a.channel === c.channel);
      if (x) {
        x.attempts += c.attempts;
        x.responses += c.responses;
        x.payments += c.payments;
      } else acc.push({ ...c });
    }
    pooledChannels.set(key, acc);
  }
  const priors = new Map([...pooled].map(([s, cells]) => [s, segmentPrior(cells)]));
  return facts.map((f) => {
    const { segment, rule, stage } = segmentOf.get(f.id)!;
    const debtor = { id: f.id, country: f.country, timeZone: f.timeZone, contactPrefs: ContactPreferences.parse(f.contactPrefs ?? {}) };
    const own = hours.get(f.id) ?? [];
    const rates = smoothedRates(own, priors.get(segment) ?? segmentPrior([]));
    const best = bestLegalHours(rates, legalHours({ debtor, org }));
    const rec = recommendChannel(
      channels.get(f.id) ?? [],
      pooledChannels.get(`${segment}|${stage}`) ?? [],
      allowedChannels(f, org, debtor),
    );
    const totals = sum(own);
    return {
      debtorId: f.id,
      bestHours: best,
      bestRate: best.length ? Math.round(rates[best[0]!]! * 1000) / 1000 : 0,
      attempts: totals.attempts,
      rpc: totals.rpc,
      segment,
      segmentRule: rule,
      channel: rec ? { channel: rec.channel, stage, reason: rec.reason } : null,
    };
  });
}

/**
 * Writes the rows; a row whose content did not change keeps its version (and is not pulled again).
 * Returns how many rows changed.
 */
export async function storeHabits(db: Db, orgId: string, rows: ReadonlyArray<HabitsRow>): Promise<number> {
  let changed = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    changed += await writeTransaction(db, orgId, async (tx) => {
      const r = await tx.query(
        `INSERT INTO contact_habits AS h (debtor_id, org_id, best_hours, best_rate, attempts, rpc, segment, segment_rule, channel)
         SELECT x.debtor_id, $1, ARRAY(SELECT jsonb_array_elements_text(x.best_hours)::int), x.best_rate, x.attempts, x.rpc,
                x.segment, x.segment_rule, x.channel
         FROM jsonb_to_recordset($2::jsonb) AS x(debtor_id uuid, best_hours jsonb, best_rate real, attempts int, rpc int,
                                                segment text, segment_rule text, channel jsonb)
         ON CONFLICT (debtor_id) DO UPDATE SET best_hours = EXCLUDED.best_hours, best_rate = EXCLUDED.best_rate,
           attempts = EXCLUDED.attempts, rpc = EXCLUDED.rpc, segment = EXCLUDED.segment, segment_rule = EXCLUDED.segment_rule,
           channel = EXCLUDED.channel, computed_at = now()
         WHERE (h.best_hours, h.best_rate, h.attempts, h.rpc, h.segment, h.segment_rule, h.channel)
           IS DISTINCT FROM (EXCLUDED.best_hours, EXCLUDED.best_rate, EXCLUDED.attempts, EXCLUDED.rpc, EXCLUDED.segment,
                             EXCLUDED.segment_rule, EXCLUDED.channel)
         RETURNING 1`,
        [
          orgId,
          JSON.stringify(
            chunk.map((c) => ({
              debtor_id: c.debtorId,
              best_hours: c.bestHours,
              best_rate: c.bestRate,
              attempts: c.attempts,
              rpc: c.rpc,
              segment: c.segment,
              segment_rule: c.segmentRule,
              channel: c.channel,
            })),
          ),
        ],
      );
      return r.length;
    });
  }
  return changed;
}

export async function runHabits(db: Db, orgId: string, now: Date): Promise<{ debtors: number; changed: number }> {
  const rows = await computeHabits(db, orgId, now);
  return { debtors: rows.length, changed: await storeHabits(db, orgId, rows) };
}
