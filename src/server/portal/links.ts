import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db';

/**
 * The debtor's self-service links (docs/self-service.md). A link is a row per debtor; its token is
 * the row's id signed with the installation's key (HMAC-SHA256, truncated to 128 bits), so:
 * - it cannot be guessed (the id is a random uuid, and without the key no signature is right);
 * - a tampered token is told from a genuine one WITHOUT reading the database: the "tampered" page
 *   says nothing about which links or debtors exist;
 * - the same link can be rendered into every message while it lives (nothing secret is stored:
 *   the key is, once, in portal_secret); expiry, revocation and completion live on the row.
 */

export type LinkState = 'live' | 'expired' | 'revoked' | 'completed';

export interface PortalLink {
  id: string;
  orgId: string;
  debtorId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  completedAt: Date | null;
}

const secrets = new WeakMap<Db, Promise<Buffer>>();

async function loadSecret(db: Db): Promise<Buffer> {
  // the first instance to need it draws it; every other instance reads the same row
  await db.query('INSERT INTO portal_secret (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [randomBytes(32).toString('hex')]);
  const [row] = await db.query<{ secret: string }>('SELECT secret FROM portal_secret WHERE id = 1');
  return Buffer.from(row!.secret, 'hex');
}

/** The installation's signing key, read once per database handle. */
export function portalSecret(db: Db): Promise<Buffer> {
  let s = secrets.get(db);
  if (!s) {
    s = loadSecret(db);
    secrets.set(db, s);
    s.catch(() => secrets.delete(db));
  }
  return s;
}

const b64 = (b: Buffer) => b.toString('base64url');
const mac = (key: Buffer, what: string) => createHmac('sha256', key).update(what).digest().subarray(0, 16);

export function signLinkId(key: Buffer, id: string): string {
  return `${b64(Buffer.from(id.replace(/-/g, ''), 'hex'))}.${b64(mac(key, `link:${id}`))}`;
}

const TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/;

/** The link id a token carries when its signature is right; null for anything malformed or tampered. */
export function verifyToken(key: Buffer, token: string): string | null {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const raw = Buffer.from(m[1]!, 'base64url');
  const given = Buffer.from(m[2]!, 'base64url');
  // the 22nd character carries 4 bits no decoder reads: only the canonical spelling is the token
  if (raw.length !== 16 || b64(raw) !== m[1] || b64(given) !== m[2]) return null;
  const hex = raw.toString('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const want = mac(key, `link:${id}`);
  return given.length === want.length && timingSafeEqual(given, want) ? id : null;
}

export function linkState(link: PortalLink, now: Date): LinkState {
  if (link.revokedAt) return 'revoked';
  if (link.completedAt) return 'completed';
  if (link.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'live';
}

const LINK_COLUMNS = `id, org_id AS "orgId", debtor_id AS "debtorId", expires_at AS "expiresAt", revoked_at AS "revokedAt",
  completed_at AS "completedAt"`;

export async function findLink(db: Db, id: string): Promise<PortalLink | null> {
  const [row] = await db.query<PortalLink>(`SELECT ${LINK_COLUMNS} FROM portal_links WHERE id = $1`, [id]);
  return row ?? null;
}

export interface PortalConfig {
  baseUrl: string | null;
  identity: 'national_id_last4' | 'sms_code';
  linkDays: number;
}

export async function portalConfig(db: Db, orgId: string): Promise<PortalConfig> {
  const [row] = await db.query<PortalConfig>(
    `SELECT base_url AS "baseUrl", identity, link_days AS "linkDays" FROM org_portal_config WHERE org_id = $1`,
    [orgId],
  );
  return row ?? { baseUrl: null, identity: 'national_id_last4', linkDays: 14 };
}

/** The page's address without the token: the organisation's own, else the server's public URL. */
export function portalBase(config: PortalConfig): string {
  const base = config.baseUrl ?? process.env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`;
  return `${base.replace(/\/$/, '')}/p/`;
}

/** A link is reused while it has at least this long to live; a message never carries one about to end. */
const MIN_LIFE_MS = 2 * 86_400_000;

/**
 * The debtor's live link, or a new one: what {{link}} renders to. `by` is the user who caused it
 * (an agent's message, a lead's button), null for a strategy's step.
 */
export async function linkForDebtor(
  db: Db,
  orgId: string,
  debtorId: string,
  now: Date,
  by: string | null,
): Promise<{ id: string; url: string; expiresAt: Date }> {
  const config = await portalConfig(db, orgId);
  const key = await portalSecret(db);
  const [live] = await db.query<{ id: string; expiresAt: Date }>(
    `SELECT id, expires_at AS "expiresAt" FROM portal_links
     WHERE org_id = $1 AND debtor_id = $2 AND revoked_at IS NULL AND completed_at IS NULL AND expires_at > $3
     ORDER BY expires_at DESC LIMIT 1`,
    [orgId, debtorId, new Date(now.getTime() + MIN_LIFE_MS).toISOString()],
  );
  let link = live;
  if (!link) {
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + config.linkDays * 86_400_000);
    await db.query(`INSERT INTO portal_links (id, org_id, debtor_id, created_at, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
      id,
      orgId,
      debtorId,
      now.toISOString(),
      by,
      expiresAt.toISOString(),
    ]);
    link = { id, expiresAt };
  }
  return { id: link.id, url: portalBase(config) + signLinkId(key, link.id), expiresAt: link.expiresAt };
}

/**
 * Ends every link of the debtor not ended yet — a completed one too (it still shows the agreement);
 * the next message carries a new one. Returns how many ended.
 */
export async function revokeDebtorLinks(db: Db, orgId: string, debtorId: string, by: string, now: Date): Promise<number> {
  const rows = await db.query(
    `UPDATE portal_links SET revoked_at = $4, revoked_by = $3
     WHERE org_id = $1 AND debtor_id = $2 AND revoked_at IS NULL RETURNING id`,
    [orgId, debtorId, by, now.toISOString()],
  );
  return rows.length;
}

export async function completeLink(db: Db, id: string, now: Date): Promise<void> {
  await db.query('UPDATE portal_links SET completed_at = coalesce(completed_at, $2) WHERE id = $1', [id, now.toISOString()]);
}
