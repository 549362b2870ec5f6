import type { EraseResult } from '../../shared/api/privacy';
import type { Db } from '../db';
import { writeTransaction } from '../db/write';
import { HttpError, notFound } from '../http/errors';
import { recordPrivacy } from './audit';
import { loadPrivacySettings } from './settings';

/** What replaces free text (notes, message bodies, reasons): says that something was there. */
export const ANON_TEXT = '[anonimizado]';
export const ANON_NAME = 'Titular anonimizado';
export const ANON_NATIONAL_ID = 'ANONIMIZADO';

interface Refusal {
  code: 'accounts_open' | 'retention_not_elapsed' | 'already_erased';
  message: string;
  extra: Record<string, unknown>;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Whether the purpose has ended: every account of the debtor closed, the last closing at least
 * the organisation's retention period ago (the database's clock decides, the same one that
 * stamped closed_at). A debtor with no account counts from when they were created.
 */
async function refusal(tx: Db, orgId: string, debtor: { id: string; createdAt: Date; erasedAt: Date | null }): Promise<Refusal | null> {
  if (debtor.erasedAt) {
    return {
      code: 'already_erased',
      message: `debtor already anonymised on ${day(debtor.erasedAt)}`,
      extra: { erasedAt: debtor.erasedAt.toISOString() },
    };
  }
  const { retentionYears } = await loadPrivacySettings(tx, orgId);
  const accounts = await tx.query<{ id: string; externalRef: string; status: string; closedAt: Date | null }>(
    'SELECT id, external_ref AS "externalRef", status, closed_at AS "closedAt" FROM accounts WHERE debtor_id = $1 ORDER BY external_ref',
    [debtor.id],
  );
  const open = accounts.filter((a) => a.status !== 'closed' || a.closedAt === null);
  if (open.length) {
    return {
      code: 'accounts_open',
      message: `every account must be closed first: ${open.map((a) => `${a.externalRef} is ${a.status}`).join(', ')}`,
      extra: { accounts: open.map((a) => ({ id: a.id, externalRef: a.externalRef, status: a.status })) },
    };
  }
  const since = accounts.reduce((last, a) => (a.closedAt! > last ? a.closedAt! : last), accounts.length ? new Date(0) : debtor.createdAt);
  const [{ from, now }] = (await tx.query<{ from: Date; now: Date }>(
    'SELECT $1::timestamptz + make_interval(years => $2::int) AS "from", now() AS now',
    [since, retentionYears],
  )) as [{ from: Date; now: Date }];
  if (from > now) {
    return {
      code: 'retention_not_elapsed',
      message: `the organisation keeps records ${retentionYears} years after the last account closed (${day(since)}): erasable from ${day(from)}`,
      extra: { retentionYears, lastClosedAt: since.toISOString(), erasableFrom: from.toISOString() },
    };
  }
  return null;
}

/** Runs an UPDATE … RETURNING 1 and answers how many rows it changed. */
async function count(tx: Db, update: string, params: unknown[]): Promise<number> {
  const [row] = await tx.query<{ n: number }>(`WITH u AS (${update} RETURNING 1) SELECT count(*)::int AS n FROM u`, params);
  return row?.n ?? 0;
}

/**
 * Replaces what identifies the debtor with anonymised values and keeps what reports count:
 * amounts, dates, statuses, dispositions, counters, compliance verdicts, who worked the account.
 * Synced rows get new versions (their triggers, or explicitly for notes, which have none), so a
 * workstation's next pull overwrites its copy with the anonymised one. One transaction, alone
 * among writers (writeTransaction), with its audit row; a refusal is audited too and answered
 * 409 naming why.
 */
export async function eraseDebtor(db: Db, orgId: string, debtorId: string, actorId: string, reason: string): Promise<EraseResult> {
  const outcome = await writeTransaction(db, orgId, async (tx): Promise<{ refused: Refusal } | { done: EraseResult }> => {
    const [debtor] = await tx.query<{ id: string; createdAt: Date; erasedAt: Date | null }>(
      'SELECT id, created_at AS "createdAt", erased_at AS "erasedAt" FROM debtors WHERE id = $1 AND org_id = $2 FOR UPDATE',
      [debtorId, orgId],
    );
    if (!debtor) throw notFound('debtor');
    const refused = await refusal(tx, orgId, debtor);
    if (refused) return { refused };

    const accounts = `(SELECT id FROM accounts WHERE debtor_id = $1)`;
    const anonymised = {
      debtors: await count(
        tx,
        `UPDATE debtors SET name = $2, national_id = $3, external_id = 'anon-' || id::text, contact_prefs = '{}'::jsonb, erased_at = now()
         WHERE id = $1`,
        [debtorId, ANON_NAME, ANON_NATIONAL_ID],
      ),
      // the unique (debtor, kind, value) needs a value per point; nobody may dial or write to it again
      contactPoints: await count(
        tx,
        `UPDATE contact_points SET value = 'anonimizado-' || id::text, label = NULL, do_not_contact = true, invalid = true WHERE debtor_id = $1`,
        [debtorId],
      ),
      accounts: await count(
        tx,
        `UPDATE accounts SET external_ref = 'anon-' || id::text, callback_note = CASE WHEN callback_note IS NULL THEN NULL ELSE $2 END
         WHERE debtor_id = $1`,
        [debtorId, ANON_TEXT],
      ),
      activities: await count(
        tx,
        `UPDATE activities SET note = CASE WHEN note IS NULL THEN NULL ELSE $2 END, address = NULL
         WHERE account_id IN ${accounts} AND (note IS NOT NULL OR address IS NOT NULL)`,
        [debtorId, ANON_TEXT],
      ),
      notes: await count(
        tx,
        `UPDATE notes SET body = $2, version = next_change_version(), updated_at = now()
         WHERE account_id IN ${accounts} AND body <> $2`,
        [debtorId, ANON_TEXT],
      ),
      messages: await count(
        tx,
        `UPDATE outbound_messages SET body = $2, subject = CASE WHEN subject IS NULL THEN NULL ELSE $2 END, address = $2,
                error = CASE WHEN error IS NULL THEN NULL ELSE $2 END, wa_template = NULL, updated_at = now()
         WHERE account_id IN ${accounts}`,
        [debtorId, ANON_TEXT],
      ),
      approvals: await count(
        tx,
        `UPDATE approval_requests SET decision_reason = CASE WHEN decision_reason IS NULL THEN NULL ELSE $2 END,
                justification = CASE WHEN justification = '' THEN '' ELSE $2 END
         WHERE account_id IN ${accounts} AND (decision_reason IS NOT NULL OR justification <> '')`,
        [debtorId, ANON_TEXT],
      ),
      // a refused mutation's arguments may hold a note or a message body about this debtor
      syncRejections: await count(
        tx,
        `UPDATE sync_rejections SET args = NULL
         WHERE args IS NOT NULL AND (args->>'debtorId' = $2 OR args->>'accountId' IN (SELECT id::text FROM accounts WHERE debtor_id = $1))`,
        [debtorId, debtorId],
      ),
    };
    const [{ erasedAt }] = (await tx.query<{ erasedAt: Date }>('SELECT erased_at AS "erasedAt" FROM debtors WHERE id = $1', [
      debtorId,
    ])) as [{ erasedAt: Date }];
    await recordPrivacy(tx, { orgId, actorId, action: 'erase', debtorId, detail: { reason, anonymised } });
    return { done: { debtorId, erasedAt: erasedAt.toISOString(), anonymised } };
  });
  if ('done' in outcome) return outcome.done;
  const { code, message, extra } = outcome.refused;
  // the audit outlives an erasure: it keeps account ids and statuses, not the creditor's references
  const accounts = (extra.accounts as Array<{ id: string; status: string }> | undefined)?.map(({ id, status }) => ({ id, status }));
  await recordPrivacy(db, {
    orgId,
    actorId,
    action: 'erase_refused',
    debtorId,
    detail: { reason, code, ...extra, ...(accounts ? { accounts } : {}) },
  });
  throw new HttpError(409, code, message, undefined, extra);
}
