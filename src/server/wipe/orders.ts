import type { Db } from '../db';
import { hashToken } from '../auth/sessions';
import { HttpError } from '../http/errors';
import type { WipeMode, WipeOrder, WipeOrderEntry } from '../../shared/domain/security';
import { writeTransaction } from '../db/write';
import { notFound } from '../http/errors';
import { recordAudit, type Actor } from '../users/audit';
import { ROUTES } from '../../shared/api/routes';

/** The one endpoint a session under an after_sync wipe order may still use: its outbox goes first. */
export const PUSH_PATH = ROUTES.syncPush.path;

/**
 * A wipe order reaches every session of the user that existed when it was given (a login after
 * the order is a new device state and is not wiped). Delivery ends the session and answers
 * 401 device_wipe; under after_sync the push is still served so the outbox reaches the server,
 * and the workstation's next request (its pull) gets the order.
 */
export async function deliverWipe(db: Db, token: string, path: string): Promise<void> {
  const [order] = await db.query<{ id: string; mode: WipeMode }>(
    `SELECT w.id, w.mode FROM wipe_orders w JOIN sessions s ON s.user_id = w.user_id
     WHERE s.token_hash = $1 AND s.created_at <= w.ordered_at
     ORDER BY (w.mode = 'immediate') DESC, w.ordered_at LIMIT 1`,
    [hashToken(token)],
  );
  if (!order) return;
  if (order.mode === 'after_sync' && path === PUSH_PATH) return;
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
    await tx.query('UPDATE wipe_orders SET done_at = now() WHERE id = $1 AND done_at IS NULL', [order.id]);
  });
  throw new HttpError(401, 'device_wipe', 'an administrator ordered this workstation wiped');
}

/** Records the order (audited). The user's sessions stay only to carry it: their next request ends them. */
export async function orderWipe(db: Db, actor: Actor & { id: string }, userId: string, mode: WipeMode): Promise<WipeOrder> {
  return writeTransaction(db, actor.orgId, async (tx) => {
    const [target] = await tx.query('SELECT 1 FROM users WHERE id = $1 AND org_id = $2', [userId, actor.orgId]);
    if (!target) throw notFound('user');
    const [row] = await tx.query<{ orderedAt: Date }>(
      `INSERT INTO wipe_orders (user_id, ordered_by, mode) VALUES ($1, $2, $3) RETURNING ordered_at AS "orderedAt"`,
      [userId, actor.id, mode],
    );
    await recordAudit(tx, { orgId: actor.orgId, actorId: actor.id, action: 'user.wipe', userId, after: { mode } });
    return { userId, mode, orderedAt: row!.orderedAt.toISOString() };
  });
}

/** The organisation's wipe orders, newest first, with whose they are and who gave them (admin screen). */
export async function listWipeOrders(db: Db, orgId: string): Promise<WipeOrderEntry[]> {
  const rows = await db.query<{
    id: string;
    userId: string;
    username: string;
    displayName: string;
    orderedBy: string;
    mode: WipeMode;
    orderedAt: Date;
    doneAt: Date | null;
  }>(
    `SELECT w.id::text AS id, u.id AS "userId", u.username, u.display_name AS "displayName", b.display_name AS "orderedBy",
            w.mode, w.ordered_at AS "orderedAt", w.done_at AS "doneAt"
     FROM wipe_orders w JOIN users u ON u.id = w.user_id JOIN users b ON b.id = w.ordered_by
     WHERE u.org_id = $1 ORDER BY w.ordered_at DESC, w.id DESC LIMIT 500`,
    [orgId],
  );
  return rows.map((r) => ({ ...r, orderedAt: r.orderedAt.toISOString(), doneAt: r.doneAt ? r.doneAt.toISOString() : null }));
}

/**
 * The session a login opens while an order for the user is still undelivered (the device's own
 * session had ended before it made contact) is dated just before the order, so the order reaches
 * it like any earlier session: under after_sync its push is still served first.
 */
export async function backdateForPendingWipe(db: Db, userId: string, token: string): Promise<void> {
  await db.query(
    `UPDATE sessions SET created_at = w.ordered_at - interval '1 millisecond'
     FROM (SELECT min(ordered_at) AS ordered_at FROM wipe_orders WHERE user_id = $1 AND done_at IS NULL) w
     WHERE token_hash = $2 AND w.ordered_at IS NOT NULL`,
    [userId, hashToken(token)],
  );
}
