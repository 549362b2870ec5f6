import { randomUUID } from 'node:crypto';
import type { MessageChannel } from '../../shared/domain/messaging';
import { mayReauthorizeByReply, optInWord, optOutWord } from '../../shared/rules/opt-out';
import { whatsappWindowUntil as windowUntil } from '../../shared/rules/whatsapp-window';
import { recordOrgAudit } from '../audit/org-audit';
import type { Db } from '../db';
import { DEBTOR_LOCK_CLASS } from '../db/write';
import { syncedWrite } from './synced-write';

export interface InboundReply {
  orgId: string;
  channel: MessageChannel;
  /** Twilio MessageSid, WhatsApp wamid, e-mail Message-ID: a redelivery is the same reply. */
  providerMessageId: string;
  /** E.164 number (WhatsApp's wa_id gets its +), or the e-mail address. */
  from: string;
  to: string | null;
  subject: string | null;
  body: string;
  /** E-mail: In-Reply-To and References, the Message-IDs of our messages the reply answers. */
  references: readonly string[];
  receivedAt: Date;
}

export interface InboundOutcome {
  id: string;
  duplicate: boolean;
  debtorId: string | null;
  accountId: string | null;
  activityId: string | null;
  /** The opt-out word the reply was ("baja", "stop" …), when it was one. */
  optOut: string | null;
  /** The opt-in word ("alta", "start" …) that lifted the debtor's own refusal of the channel, when it did. */
  optIn?: string | null;
}

interface Match {
  debtorId: string;
  accountId: string | null;
  contactPointId: string | null;
  agentId: string | null;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const digits = (s: string) => s.replace(/\D/g, '');

/**
 * A debtor's reply: matched to the debtor (the thread first — an e-mail answering one of our
 * messages names its Message-ID, <our id@domain> — then the number or address our last message to
 * it went to, then the debtor's contact points), shown in the account as an inbound activity of the
 * account's agent (which the pull brings to their workstation), and an opt-out word refuses the
 * channel at once. A sender matching no debtor, or several, waits in the team lead's list.
 */
export async function recordInbound(db: Db, r: InboundReply): Promise<InboundOutcome> {
  return syncedWrite(db, r.orgId, async (tx) => {
    const [dup] = await tx.query<{
      id: string;
      debtorId: string | null;
      accountId: string | null;
      activityId: string | null;
      optOut: boolean;
    }>(
      `SELECT id, debtor_id AS "debtorId", account_id AS "accountId", activity_id AS "activityId", opt_out AS "optOut"
       FROM inbound_messages WHERE org_id = $1 AND channel = $2 AND provider_message_id = $3`,
      [r.orgId, r.channel, r.providerMessageId],
    );
    if (dup)
      return { id: dup.id, duplicate: true, debtorId: dup.debtorId, accountId: dup.accountId, activityId: dup.activityId, optOut: null };

    const match = await matchSender(tx, r);
    const word = optOutWord(r.body) ?? (r.subject ? optOutWord(r.subject) : null);
    let activityId: string | null = null;
    let optIn: string | null = null;
    if (match) {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2::text))', [DEBTOR_LOCK_CLASS, match.debtorId]);
      if (match.accountId && match.agentId) {
        activityId = randomUUID();
        const note = (r.channel === 'email' && r.subject ? `${r.subject}\n\n${r.body}` : r.body).slice(0, 4000);
        await tx.query(
          `INSERT INTO activities (id, account_id, agent_id, channel, direction, contact_point_id, address, disposition, note, started_at)
           VALUES ($1, $2, $3, $4, 'inbound', $5, $6, NULL, $7, $8)`,
          [activityId, match.accountId, match.agentId, r.channel, match.contactPointId, r.from, note, r.receivedAt.toISOString()],
        );
      }
      if (word) await refuseChannel(tx, r.orgId, match, r.channel, word);
      else optIn = await reauthorizeChannel(tx, r.orgId, match, r.channel, r.body, r.subject);
    }
    const id = randomUUID();
    await tx.query(
      `INSERT INTO inbound_messages (id, org_id, channel, provider_message_id, from_address, to_address, subject, body, in_reply_to,
         debtor_id, account_id, contact_point_id, activity_id, opt_out, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        id,
        r.orgId,
        r.channel,
        r.providerMessageId,
        r.from,
        r.to,
        r.subject,
        r.body,
        r.references.join(' ') || null,
        match?.debtorId ?? null,
        match?.accountId ?? null,
        match?.contactPointId ?? null,
        activityId,
        word !== null && match !== null,
        r.receivedAt.toISOString(),
      ],
    );
    return {
      id,
      duplicate: false,
      debtorId: match?.debtorId ?? null,
      accountId: match?.accountId ?? null,
      activityId,
      optOut: match ? word : null,
      optIn,
    };
  });
}

/**
 * The matching queries by number or address. A number is compared by its digits only, through the
 * expressions the indexes of migration 0026 hold (outbound_messages_digits, contact_points_digits,
 * inbound_messages_window_digits), so a reply is an index lookup, not a scan of every message;
 * tests/integration/messaging/reply-match-index.test.ts reads the plans.
 */
export const MATCH_SQL = {
  lastOutbound: (email: boolean) =>
    `SELECT a.debtor_id AS "debtorId", m.account_id AS "accountId", m.contact_point_id AS "contactPointId",
            coalesce(a.assigned_agent_id, m.agent_id) AS "agentId"
     FROM outbound_messages m JOIN accounts a ON a.id = m.account_id
     WHERE m.org_id = $1 AND m.channel = $3 AND ${email ? `lower(m.address) = $2` : `regexp_replace(m.address, '\\D', '', 'g') = $2`}
     ORDER BY m.created_at DESC LIMIT 1`,
  contactPoints: (email: boolean) =>
    `SELECT c.debtor_id AS "debtorId", c.id AS "contactPointId" FROM contact_points c JOIN debtors d ON d.id = c.debtor_id
     WHERE d.org_id = $1 AND c.kind = ANY($3::text[]) AND ${email ? `lower(c.value) = $2` : `regexp_replace(c.value, '\\D', '', 'g') = $2`}
     ORDER BY (c.kind = $4) DESC`,
  whatsappWindow: `SELECT max(received_at) AS last FROM inbound_messages
     WHERE org_id = $1 AND channel = 'whatsapp' AND regexp_replace(from_address, '\\D', '', 'g') = $2`,
};

async function matchSender(tx: Db, r: InboundReply): Promise<Match | null> {
  // 1. the thread: one of our message ids in In-Reply-To / References
  const ids = [...new Set(r.references.flatMap((ref) => ref.match(UUID) ?? []).map((s) => s.toLowerCase()))];
  if (ids.length) {
    const [m] = await tx.query<Match>(
      `SELECT a.debtor_id AS "debtorId", m.account_id AS "accountId", m.contact_point_id AS "contactPointId",
              coalesce(a.assigned_agent_id, m.agent_id) AS "agentId"
       FROM outbound_messages m JOIN accounts a ON a.id = m.account_id
       WHERE m.org_id = $1 AND m.id = ANY($2::uuid[]) ORDER BY m.created_at DESC LIMIT 1`,
      [r.orgId, ids],
    );
    if (m) return m;
  }
  const isEmail = r.channel === 'email';
  const key = isEmail ? r.from.trim().toLowerCase() : digits(r.from);
  if (!key) return null;
  // 2. the address our last message on this channel went to
  const [last] = await tx.query<Match>(MATCH_SQL.lastOutbound(isEmail), [r.orgId, key, r.channel]);
  if (last) return last;
  // 3. the debtors' contact points: exactly one debtor, or nobody can say whose it is
  const kinds = isEmail ? ['email'] : ['phone', 'whatsapp'];
  const cps = await tx.query<{ debtorId: string; contactPointId: string }>(MATCH_SQL.contactPoints(isEmail), [
    r.orgId,
    key,
    kinds,
    r.channel === 'whatsapp' ? 'whatsapp' : isEmail ? 'email' : 'phone',
  ]);
  const debtors = new Set(cps.map((c) => c.debtorId));
  if (debtors.size !== 1) return null;
  const cp = cps[0]!;
  const [acc] = await tx.query<{ accountId: string; agentId: string | null }>(
    `SELECT id AS "accountId", assigned_agent_id AS "agentId" FROM accounts WHERE debtor_id = $1
     ORDER BY (status = 'active') DESC, (assigned_agent_id IS NOT NULL) DESC, last_contact_at DESC NULLS LAST, id LIMIT 1`,
    [cp.debtorId],
  );
  return { debtorId: cp.debtorId, contactPointId: cp.contactPointId, accountId: acc?.accountId ?? null, agentId: acc?.agentId ?? null };
}

/**
 * The debtor's refusal of the channel, in their contact preferences (synced with the debtor, read
 * by checkContact for agents and automated steps alike), audited with the reply that said it.
 */
async function refuseChannel(tx: Db, orgId: string, m: Match, channel: MessageChannel, word: string): Promise<void> {
  const [before] = await tx.query<{ prefs: { refusedChannels?: string[]; refusedByReply?: string[] } }>(
    'SELECT contact_prefs AS prefs FROM debtors WHERE id = $1 FOR UPDATE',
    [m.debtorId],
  );
  const refused = before?.prefs.refusedChannels ?? [];
  if (refused.includes(channel)) return;
  // refusedByReply: the debtor's own word refused it, so their own word may take it back
  const byReply = [...new Set([...(before?.prefs.refusedByReply ?? []), channel])];
  await tx.query(
    `UPDATE debtors SET contact_prefs = contact_prefs || jsonb_build_object('refusedChannels', $2::jsonb, 'refusedByReply', $3::jsonb)
     WHERE id = $1`,
    [m.debtorId, JSON.stringify([...refused, channel]), JSON.stringify(byReply)],
  );
  await recordOrgAudit(tx, {
    orgId,
    actorId: null,
    action: 'debtor.channel_refused',
    accountId: m.accountId,
    before: { refusedChannels: refused },
    after: { refusedChannels: [...refused, channel], word, channel, debtorId: m.debtorId },
  });
}

/**
 * "ALTA", "START" … on a channel the debtor had refused by a word: the refusal is lifted (the
 * channel is theirs to give back; one refused by an agent's record of a legal instruction is not,
 * src/shared/rules/opt-out.ts mayReauthorizeByReply), synced with the debtor and audited with the
 * reply's word. Returns the word when it lifted a refusal.
 */
async function reauthorizeChannel(
  tx: Db,
  orgId: string,
  m: Match,
  channel: MessageChannel,
  body: string,
  subject: string | null,
): Promise<string | null> {
  const [d] = await tx.query<{ prefs: { refusedChannels?: MessageChannel[]; refusedByReply?: MessageChannel[] }; country: string }>(
    'SELECT contact_prefs AS prefs, country FROM debtors WHERE id = $1 FOR UPDATE',
    [m.debtorId],
  );
  if (!d) return null;
  const word = optInWord(body, channel, d.country) ?? (subject ? optInWord(subject, channel, d.country) : null);
  if (!word || !mayReauthorizeByReply(d.prefs, channel)) return null;
  const refused = (d.prefs.refusedChannels ?? []).filter((c) => c !== channel);
  const byReply = (d.prefs.refusedByReply ?? []).filter((c) => c !== channel);
  await tx.query(
    `UPDATE debtors SET contact_prefs = contact_prefs || jsonb_build_object('refusedChannels', $2::jsonb, 'refusedByReply', $3::jsonb)
     WHERE id = $1`,
    [m.debtorId, JSON.stringify(refused), JSON.stringify(byReply)],
  );
  await recordOrgAudit(tx, {
    orgId,
    actorId: null,
    action: 'debtor.channel_reauthorized',
    accountId: m.accountId,
    before: { refusedChannels: d.prefs.refusedChannels ?? [], refusedByReply: d.prefs.refusedByReply ?? [] },
    after: { refusedChannels: refused, refusedByReply: byReply, word, channel, debtorId: m.debtorId },
  });
  return word;
}

/**
 * WhatsApp's customer-service window: 24 hours from the debtor's last message on the number, in
 * which the business may answer with free text; outside it only an approved template.
 */
export async function whatsappWindowUntil(db: Db, orgId: string, address: string, now: Date): Promise<Date | null> {
  const [row] = await db.query<{ last: Date | null }>(MATCH_SQL.whatsappWindow, [orgId, digits(address)]);
  return windowUntil(row?.last ?? null, now);
}
