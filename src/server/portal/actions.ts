import { randomUUID } from 'node:crypto';
import {
  NegotiationProposal,
  quoteNegotiation,
  QuoteError,
  type CollectionPolicies,
  type NegotiationQuote,
} from '../../shared/domain/collections';
import type { Channel } from '../../shared/domain/channels';
import { ContactPreferences } from '../../shared/domain/entities';
import type { CurrencyCode } from '../../shared/domain/money';
import { daysPastDue, localDate } from '../../shared/domain/time';
import { selectNegotiationRule, type NegotiationRule } from '../../shared/rules/negotiation';
import { selectPromisePolicy, validatePromise, type PromiseRuleBroken } from '../../shared/rules/promises';
import { dpdBucket } from '../../shared/domain/enums';
import { scopeFor } from '../access/visibility';
import { USER_COLUMNS, type AuthUser } from '../auth/sessions';
import { approvalRequest } from '../collections/approvals';
import { loadPolicies } from '../collections/policies';
import type { Db } from '../db';
import { DEBTOR_LOCK_CLASS, orgChangeLock, pushTransaction } from '../db/write';
import { activityLog } from '../sync/appliers/activity-log';
import { debtorSetPreferences } from '../sync/appliers/debtor-set-preferences';
import { promiseCreate } from '../sync/appliers/promise-create';
import type { ApplyContext } from '../sync/appliers/types';
import { completeLink } from './links';

/**
 * What the debtor does on the page, done through the very appliers an agent's push runs
 * (src/server/sync/appliers): the same validation, the same rows, the same kept/broken tracking.
 * The records are the account's agent's — the account is theirs, and their workstation pulls them —
 * with the channel self_service ("autogestión") saying the debtor did it alone.
 */

export interface DebtAccount {
  id: string;
  externalRef: string;
  product: string;
  currency: CurrencyCode;
  balanceMinor: number;
  principalMinor: number;
  dpd: number;
  status: string;
  agentId: string | null;
}

export interface DebtorView {
  debtorId: string;
  orgId: string;
  name: string;
  timeZone: string;
  today: string;
  contactPrefs: ContactPreferences;
  accounts: DebtAccount[];
}

export async function debtorView(db: Db, orgId: string, debtorId: string, now: Date): Promise<DebtorView | null> {
  const [d] = await db.query<{ name: string; timeZone: string; prefs: unknown }>(
    `SELECT name, time_zone AS "timeZone", contact_prefs AS prefs FROM debtors WHERE id = $1 AND org_id = $2`,
    [debtorId, orgId],
  );
  if (!d) return null;
  const today = localDate(now, d.timeZone);
  const rows = await db.query<Omit<DebtAccount, 'dpd'> & { dueDate: string | null }>(
    `SELECT id, external_ref AS "externalRef", product, currency, balance_minor::float8 AS "balanceMinor",
       principal_minor::float8 AS "principalMinor", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", status, assigned_agent_id AS "agentId"
     FROM accounts WHERE debtor_id = $1 AND org_id = $2 AND status <> 'closed' ORDER BY external_ref`,
    [debtorId, orgId],
  );
  return {
    debtorId,
    orgId,
    name: d.name,
    timeZone: d.timeZone,
    today,
    contactPrefs: ContactPreferences.parse(d.prefs ?? {}),
    accounts: rows.map(({ dueDate, ...a }) => ({ ...a, dpd: daysPastDue(dueDate, today) })),
  };
}

/** The negotiation rule that covers the account (the agent's screen reads the same one). */
export async function ruleFor(db: Db, orgId: string, a: DebtAccount, loaded?: CollectionPolicies): Promise<NegotiationRule | null> {
  const p = loaded ?? (await loadPolicies(db, orgId));
  return p.negotiationPolicy ? selectNegotiationRule(p.negotiationPolicy, a.product, dpdBucket(a.dpd)) : null;
}

export type Offer =
  | { kind: 'full'; payDate: string }
  | { kind: 'settlement'; payDate: string }
  | { kind: 'plan'; installments: number; downPaymentMinor: number; startDate: string };

export interface Quoted {
  schedule: Array<{ dueDate: string; amountMinor: number }>;
  totalMinor: number;
  discountMinor: number;
  /** within_agent: the debtor confirms alone; needs_approval: a team lead decides; outside_policy: not offered. */
  decision: 'within_agent' | 'needs_approval' | 'outside_policy';
  proposal: NegotiationProposal | null;
  /** The promise policy's verdict on the series (same rule the applier enforces). */
  errors: PromiseRuleBroken[];
}

/** The offer as the agent's path quotes it: quoteNegotiation for settlements and plans, a plain promise for paying in full. */
export async function quoteOffer(db: Db, view: DebtorView, a: DebtAccount, offer: Offer): Promise<Quoted> {
  const policies = await loadPolicies(db, view.orgId);
  let q: Pick<NegotiationQuote, 'schedule' | 'totalMinor' | 'discountMinor'> & { decision: Quoted['decision'] };
  let proposal: NegotiationProposal | null = null;
  if (offer.kind === 'full') {
    q = {
      schedule: [{ dueDate: offer.payDate, amountMinor: a.balanceMinor }],
      totalMinor: a.balanceMinor,
      discountMinor: 0,
      decision: 'within_agent',
    };
  } else {
    const rule = await ruleFor(db, view.orgId, a, policies);
    // the settlement the debtor is offered is the one an agent may grant alone
    proposal =
      offer.kind === 'settlement'
        ? NegotiationProposal.parse({
            kind: 'settlement',
            payDate: offer.payDate,
            discounts: {
              principalPct: rule?.settlement.agentDiscountPrincipalPct ?? 0,
              interestPct: rule?.settlement.agentDiscountInterestPct ?? 0,
              feesPct: rule?.settlement.agentDiscountFeesPct ?? 0,
            },
          })
        : NegotiationProposal.parse({
            kind: 'plan',
            installments: offer.installments,
            downPaymentMinor: offer.downPaymentMinor,
            startDate: offer.startDate,
          });
    const quote = quoteNegotiation(
      policies.negotiationPolicy,
      {
        product: a.product,
        currency: a.currency,
        balanceMinor: a.balanceMinor,
        principalMinor: a.principalMinor,
        dpd: a.dpd,
        preferredPaymentDay: view.contactPrefs.preferredPaymentDay,
      },
      proposal,
    );
    q = { ...quote, decision: quote.authority.decision };
  }
  const policy = selectPromisePolicy(policies.promisePolicies, a.product);
  const verdict = policy ? validatePromise(policy, a, q.schedule, view.today) : { ok: true as const };
  return { ...q, proposal, errors: verdict.ok ? [] : verdict.errors };
}

export { QuoteError };

/**
 * The debtor's writes are a push in all but name, and take a push's locks: the organisation's change
 * lock SHARED (debtors confirming at once run side by side; never beside an import or a payments
 * file) and this debtor's lock, both first, as push.ts takes them.
 */
function debtorTransaction<T>(db: Db, orgId: string, debtorId: string, fn: (tx: Db) => Promise<T>): Promise<T> {
  return pushTransaction(db, async (tx) => {
    await tx.query(`SELECT ${orgChangeLock('$1::uuid', 'shared')}, pg_advisory_xact_lock($2, hashtext($3::text))`, [
      orgId,
      DEBTOR_LOCK_CLASS,
      debtorId,
    ]);
    return fn(tx);
  });
}

/** The account's agent, in whose name the debtor's records are kept; an unassigned account's go to an admin. */
async function actingUser(tx: Db, orgId: string, agentId: string | null): Promise<AuthUser> {
  const [u] = await tx.query<AuthUser>(
    `SELECT ${USER_COLUMNS} FROM users u WHERE u.org_id = $1 AND (u.id = $2::uuid OR ($2::uuid IS NULL AND u.role = 'admin'))
     ORDER BY (u.id = $2::uuid) DESC NULLS LAST, u.created_at LIMIT 1`,
    [orgId, agentId],
  );
  if (!u) throw new Error(`organisation ${orgId} has no user to keep the debtor's records`);
  return u;
}

async function context(tx: Db, orgId: string, a: { agentId: string | null }): Promise<ApplyContext> {
  const user = await actingUser(tx, orgId, a.agentId);
  return { tx, user, scope: await scopeFor(tx, user) };
}

/** One use of the link, in the account's history. */
function logUse(
  ctx: ApplyContext,
  accountId: string,
  now: Date,
  note: string,
  extra: { disposition?: 'promise_to_pay' | 'dispute'; promiseId?: string } = {},
) {
  return activityLog(ctx, {
    id: randomUUID(),
    accountId,
    channel: 'self_service',
    direction: 'inbound',
    contactPointId: null,
    address: null,
    disposition: extra.disposition ?? null,
    note,
    startedAt: now.toISOString(),
    answeredAt: null,
    endedAt: null,
    durationSec: null,
    sipStatus: null,
    hangupBy: null,
    promiseId: extra.promiseId ?? null,
    manualDial: false,
    loggedOnline: false,
  });
}

export async function recordOpened(db: Db, view: DebtorView, now: Date): Promise<void> {
  if (view.accounts.length === 0) return;
  await debtorTransaction(db, view.orgId, view.debtorId, async (tx) => {
    for (const a of view.accounts)
      await logUse(await context(tx, view.orgId, a), a.id, now, 'Autogestión: abrió el enlace y verificó su identidad');
  });
}

/** Confirms a quoted offer: the promise series the agent's path creates, then the link is completed. */
export async function confirmOffer(db: Db, linkId: string, view: DebtorView, a: DebtAccount, q: Quoted, now: Date): Promise<string> {
  return debtorTransaction(db, view.orgId, view.debtorId, async (tx) => {
    const ctx = await context(tx, view.orgId, a);
    const promiseId = randomUUID();
    await promiseCreate(ctx, {
      id: promiseId,
      accountId: a.id,
      channel: 'self_service',
      createdAt: now.toISOString(),
      installments: q.schedule,
      planId: q.proposal ? randomUUID() : null,
    });
    await logUse(ctx, a.id, now, `Autogestión: acordó ${q.schedule.length} pago(s) por ${q.totalMinor} (${a.currency})`, {
      disposition: 'promise_to_pay',
      promiseId,
    });
    await completeLink(tx, linkId, now);
    return promiseId;
  });
}

/** Terms beyond what the debtor may confirm alone: the team lead's approval inbox, with the debtor's words. */
export async function requestOffer(db: Db, view: DebtorView, a: DebtAccount, q: Quoted, message: string, now: Date): Promise<string> {
  return debtorTransaction(db, view.orgId, view.debtorId, async (tx) => {
    const ctx = await context(tx, view.orgId, a);
    const id = randomUUID();
    await approvalRequest(ctx, {
      id,
      accountId: a.id,
      createdAt: now.toISOString(),
      proposal: q.proposal!,
      justification: `Solicitud del deudor por autogestión: ${message.trim() || '(sin mensaje)'}`.slice(0, 2000),
    });
    await logUse(ctx, a.id, now, `Autogestión: pidió condiciones que requieren aprobación. ${message.trim()}`.slice(0, 4000));
    return id;
  });
}

export type Voice =
  | { kind: 'preferences'; channel: Channel; from: string; to: string }
  | { kind: 'refuse'; channel: Channel }
  | { kind: 'dispute'; accountId: string; reason: string };

/** The debtor's own word on how to be contacted, or a dispute: recorded as an agent records them. */
export async function recordVoice(db: Db, view: DebtorView, v: Voice, now: Date): Promise<void> {
  const first = view.accounts[0];
  if (!first) return;
  await debtorTransaction(db, view.orgId, view.debtorId, async (tx) => {
    if (v.kind === 'dispute') {
      const a = view.accounts.find((x) => x.id === v.accountId);
      if (!a) return;
      await logUse(await context(tx, view.orgId, a), a.id, now, `Autogestión: disputa la deuda. ${v.reason}`.slice(0, 4000), {
        disposition: 'dispute',
      });
      return;
    }
    const [d] = await tx.query<{ prefs: unknown }>('SELECT contact_prefs AS prefs FROM debtors WHERE id = $1 FOR UPDATE', [view.debtorId]);
    const prefs = ContactPreferences.parse(d?.prefs ?? {});
    const ctx = await context(tx, view.orgId, first);
    let next: ContactPreferences;
    let note: string;
    if (v.kind === 'preferences') {
      next = { ...prefs, preferredChannel: v.channel, windows: [{ days: [1, 2, 3, 4, 5], from: v.from, to: v.to }] };
      note = `Autogestión: prefiere ${v.channel} de ${v.from} a ${v.to}`;
    } else {
      const refused = [...new Set([...(prefs.refusedChannels ?? []), v.channel])];
      next = {
        ...prefs,
        refusedChannels: refused,
        preferredChannel: prefs.preferredChannel === v.channel ? null : prefs.preferredChannel,
      };
      note = `Autogestión: no acepta contacto por ${v.channel}`;
    }
    await debtorSetPreferences(ctx, { debtorId: view.debtorId, contactPrefs: next });
    for (const a of view.accounts) await logUse(await context(tx, view.orgId, a), a.id, now, note);
  });
}
