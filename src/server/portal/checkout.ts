import { randomUUID } from 'node:crypto';
import type { Db } from '../db';
import type { PaymentGateway } from '../payments/gateway/types';
import type { DebtorView } from './actions';
import { portalBase, portalConfig } from './links';

/** The attempt's reference is stored before the gateway is called: a retried tap reuses it (one checkout per attempt). */
export async function checkout(
  db: Db,
  gateway: PaymentGateway,
  r: { link: { id: string }; ctx: { base: string }; lang: string },
  view: Pick<DebtorView, 'orgId'>,
  inst: { accountId: string; currency: string; amountMinor: number; externalRef: string; promiseId: string; seq: number },
): Promise<string> {
  const [open] = await db.query<{ id: string; url: string | null }>(
    `SELECT id, checkout_url AS url FROM portal_payment_attempts WHERE promise_id = $1 AND seq = $2 AND gateway = $3 ORDER BY created_at DESC LIMIT 1`,
    [inst.promiseId, inst.seq, gateway.name],
  );
  if (open?.url) return open.url;
  const reference = open?.id ?? randomUUID();
  if (!open) {
    await db.query(
      `INSERT INTO portal_payment_attempts (id, org_id, link_id, account_id, promise_id, seq, amount_minor, currency, gateway)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [reference, view.orgId, r.link.id, inst.accountId, inst.promiseId, inst.seq, inst.amountMinor, inst.currency, gateway.name],
    );
  }
  const base = portalBase(await portalConfig(db, view.orgId)).replace(/\/p\/$/, '');
  const c = await gateway.createCheckout({
    orgId: view.orgId,
    accountId: inst.accountId,
    promiseId: inst.promiseId,
    reference,
    amountMinor: inst.amountMinor,
    currency: inst.currency,
    description: `${inst.externalRef} · ${inst.seq}`,
    returnUrl: `${base}${r.ctx.base}?lang=${r.lang}`,
  });
  await db.query('UPDATE portal_payment_attempts SET gateway_ref = $2, checkout_url = $3 WHERE id = $1', [reference, c.gatewayRef, c.url]);
  return c.url;
}
