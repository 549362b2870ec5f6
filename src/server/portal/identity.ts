import { createHash, createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db';
import type { MessageProvider } from '../messaging/providers/types';

/**
 * Who opens the link proves they are the debtor before any name or amount shows: the last four
 * digits of their national id, or a one-time code texted to the phone on file — the organisation
 * chooses (org_portal_config.identity). Wrong answers are counted on the link's row, so every
 * server instance on the database shares the count.
 */

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;
export const CODE_TTL_MS = 10 * 60_000;
export const MAX_CODES = 3;

const sha = (s: string) => createHash('sha256').update(s).digest();

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(sha(a), sha(b));
}

export const lastFour = (nationalId: string): string => nationalId.replace(/\D/g, '').slice(-4);

export type IdentityVerdict = { ok: true } | { ok: false; lockedUntil: Date | null };

interface Facts {
  nationalId: string;
  codeHash: string | null;
  codeExpiresAt: Date | null;
  lockedUntil: Date | null;
}

/**
 * Judges an answer. `linkId` null (a link nobody issued) runs the same statements against no row
 * and answers "wrong": the page and its timing cannot tell an unknown link from a wrong answer.
 */
export async function checkIdentity(
  db: Db,
  linkId: string | null,
  method: 'national_id_last4' | 'sms_code',
  answer: string,
  now: Date,
): Promise<IdentityVerdict> {
  const id = linkId ?? randomUUID();
  const [f] = await db.query<Facts>(
    `SELECT d.national_id AS "nationalId", l.code_hash AS "codeHash", l.code_expires_at AS "codeExpiresAt", l.locked_until AS "lockedUntil"
     FROM portal_links l JOIN debtors d ON d.id = l.debtor_id WHERE l.id = $1`,
    [id],
  );
  if (f?.lockedUntil && f.lockedUntil.getTime() > now.getTime()) return { ok: false, lockedUntil: f.lockedUntil };
  const given = answer.replace(/\s/g, '');
  let right = false;
  if (method === 'national_id_last4') {
    const want = f ? lastFour(f.nationalId) : '\0none';
    right = sameSecret(given, want) && want.length === 4;
  } else {
    const live = !!f?.codeHash && !!f.codeExpiresAt && f.codeExpiresAt.getTime() > now.getTime();
    right = sameSecret(sha(given).toString('hex'), live ? f!.codeHash! : '\0none') && live;
  }
  if (right) {
    await db.query('UPDATE portal_links SET failures = 0, window_start = NULL, code_hash = NULL WHERE id = $1', [id]);
    return { ok: true };
  }
  // one statement counts the failure and locks at the limit: two instances cannot both let a 6th through
  const [after] = await db.query<{ lockedUntil: Date | null }>(
    `UPDATE portal_links SET
       failures = CASE WHEN window_start IS NULL OR window_start <= $2::timestamptz - $3 * interval '1 millisecond' THEN 1 ELSE failures + 1 END,
       window_start = CASE WHEN window_start IS NULL OR window_start <= $2::timestamptz - $3 * interval '1 millisecond' THEN $2::timestamptz ELSE window_start END,
       locked_until = CASE WHEN window_start > $2::timestamptz - $3 * interval '1 millisecond' AND failures + 1 >= $4
         THEN $2::timestamptz + $3 * interval '1 millisecond' ELSE locked_until END
     WHERE id = $1 RETURNING locked_until AS "lockedUntil"`,
    [id, now.toISOString(), WINDOW_MS, MAX_FAILURES],
  );
  const locked = after?.lockedUntil && after.lockedUntil.getTime() > now.getTime() ? after.lockedUntil : null;
  return { ok: false, lockedUntil: locked };
}

/**
 * Texts a one-time code to the debtor's phone on file through the organisation's SMS provider. At
 * most MAX_CODES per window; an unknown link, a debtor with no usable phone or an exhausted budget
 * send nothing and answer the same.
 */
export async function sendCode(db: Db, linkId: string | null, sms: MessageProvider | undefined, now: Date): Promise<void> {
  if (!linkId || !sms) return;
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const [row] = await db.query<{ debtorId: string }>(
    `UPDATE portal_links SET code_hash = $2, code_expires_at = $3,
       codes_sent = CASE WHEN window_start IS NULL OR window_start <= $4::timestamptz - $5 * interval '1 millisecond' THEN 1 ELSE codes_sent + 1 END,
       window_start = coalesce(window_start, $4::timestamptz)
     WHERE id = $1 AND (codes_sent < $6 OR window_start IS NULL OR window_start <= $4::timestamptz - $5 * interval '1 millisecond')
     RETURNING debtor_id AS "debtorId"`,
    [linkId, sha(code).toString('hex'), new Date(now.getTime() + CODE_TTL_MS).toISOString(), now.toISOString(), WINDOW_MS, MAX_CODES],
  );
  if (!row) return;
  const [phone] = await db.query<{ value: string }>(
    `SELECT value FROM contact_points WHERE debtor_id = $1 AND kind = 'phone' AND NOT invalid ORDER BY verified DESC, created_at LIMIT 1`,
    [row.debtorId],
  );
  if (!phone) return;
  await sms.send({ messageId: randomUUID(), to: phone.value, body: `Su código de verificación es ${code}. Vence en 10 minutos.` });
}

// ── The session after the check: a signed cookie, nothing stored ──────────────

export const SESSION_MS = 30 * 60_000;

export function sessionCookie(key: Buffer, linkId: string, now: Date): string {
  const exp = now.getTime() + SESSION_MS;
  const sig = createHmac('sha256', key).update(`session:${linkId}:${exp}`).digest('base64url');
  return `${exp}.${sig}`;
}

export function sessionValid(key: Buffer, linkId: string, value: string | undefined, now: Date): boolean {
  const m = /^(\d{10,16})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!m || Number(m[1]) <= now.getTime()) return false;
  const want = createHmac('sha256', key).update(`session:${linkId}:${m[1]}`).digest();
  const got = Buffer.from(m[2]!, 'base64url');
  return got.length === want.length && timingSafeEqual(got, want);
}
