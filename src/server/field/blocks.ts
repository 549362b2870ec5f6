import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { ReceiptBlocksRequest, ReceiptBlocksResponse } from '../../shared/domain/field';
import { RECEIPT_BLOCK_SIZE, RECEIPT_REFILL_BELOW, formatReceiptCode, receiptCodePayload } from '../../shared/field/receipt-book';
import type { AuthUser } from '../auth/sessions';
import type { Db } from '../db';
import { HttpError } from '../http/errors';

/**
 * Hands devices blocks of receipt numbers (docs/field-collection.md). Numbers come from one
 * counter per organisation, taken under its row lock, so blocks never overlap whoever asks and
 * however often. A device is its sync client id; each answer bumps its generation, which the
 * device keeps in its store: a store copied back from a backup presents an older generation, and
 * then every number it could still issue from its old blocks is retired (reason device_restored)
 * and it starts on fresh blocks.
 */
export async function handReceiptBlocks(tx: Db, user: AuthUser, req: ReceiptBlocksRequest): Promise<ReceiptBlocksResponse> {
  const [client] = await tx.query<{ userId: string }>('SELECT user_id AS "userId" FROM sync_clients WHERE client_id = $1', [req.clientId]);
  if (client && client.userId !== user.id)
    throw new HttpError(403, 'client_not_yours', 'this client id belongs to another user', 'clientId');
  await tx.query(
    `INSERT INTO receipt_devices (org_id, client_id, user_id) VALUES ($1, $2, $3) ON CONFLICT (org_id, client_id) DO NOTHING`,
    [user.orgId, req.clientId, user.id],
  );
  const [device] = await tx.query<{ userId: string; generation: number; reportedHwm: number; lostAt: string | null }>(
    `SELECT user_id AS "userId", generation, reported_hwm::float8 AS "reportedHwm", lost_at AS "lostAt" FROM receipt_devices
     WHERE org_id = $1 AND client_id = $2 FOR UPDATE`,
    [user.orgId, req.clientId],
  );
  if (!device || device.userId !== user.id) throw new HttpError(403, 'client_not_yours', 'this device belongs to another user', 'clientId');
  if (device.lostAt) throw new HttpError(409, 'receipt_device_lost', 'this device was declared lost', 'clientId');

  // an older generation: a copy of the store from before the last refill. A high-water mark below
  // receipts the server already holds from this device: an old copy too, even with no refill between
  const restored = req.generation < device.generation || req.hwm < device.reportedHwm;
  let left = req.left;
  if (restored) {
    // the old copy may issue any number above the hwm it presents, and the store it replaced may
    // have issued any number of its blocks: none of them can be trusted again
    await retireDeviceBlocks(tx, user.orgId, req.clientId, 'device_restored');
    left = 0;
  }
  const generation = device.generation + 1;
  await tx.query(
    `UPDATE receipt_devices SET generation = $3, reported_hwm = GREATEST(reported_hwm, $4), restores = restores + $5, updated_at = now()
     WHERE org_id = $1 AND client_id = $2`,
    [user.orgId, req.clientId, generation, req.hwm, restored ? 1 : 0],
  );

  const blocks: ReceiptBlocksResponse['blocks'] = [];
  if (left < RECEIPT_REFILL_BELOW) {
    const count = Math.ceil((2 * RECEIPT_BLOCK_SIZE - left) / RECEIPT_BLOCK_SIZE);
    const [counter] = await tx.query<{ next: string }>(
      `INSERT INTO receipt_counters (org_id, next_no) VALUES ($1, 1 + $2)
       ON CONFLICT (org_id) DO UPDATE SET next_no = receipt_counters.next_no + $2
       RETURNING next_no - $2 AS next`,
      [user.orgId, count * RECEIPT_BLOCK_SIZE],
    );
    let first = Number(counter!.next);
    for (let i = 0; i < count; i++, first += RECEIPT_BLOCK_SIZE) {
      const id = randomUUID();
      const key = randomBytes(32);
      await tx.query(
        `INSERT INTO receipt_blocks (id, org_id, client_id, user_id, first_no, last_no, mac_key) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, user.orgId, req.clientId, user.id, first, first + RECEIPT_BLOCK_SIZE - 1, key],
      );
      blocks.push({ id, first, last: first + RECEIPT_BLOCK_SIZE - 1, key: key.toString('base64') });
    }
  }
  const [org] = await tx.query<ReceiptBlocksResponse['issuer']>(
    `SELECT name, country, settings ->> 'taxId' AS "taxId", settings ->> 'address' AS address FROM organizations WHERE id = $1`,
    [user.orgId],
  );
  return { issuer: org!, generation, blocks, restored };
}

/** Marks every number of the device's blocks not yet received as never to be used, with why. */
export async function retireDeviceBlocks(
  tx: Db,
  orgId: string,
  clientId: string,
  reason: 'device_restored' | 'device_lost',
): Promise<void> {
  await tx.query(
    `UPDATE receipt_blocks b SET retired_reason = $3, retired_at = now(),
            retired_from = GREATEST(b.first_no, COALESCE((SELECT max(r.number) + 1 FROM cash_receipts r WHERE r.block_id = b.id), b.first_no))
     WHERE b.org_id = $1 AND b.client_id = $2 AND b.retired_from IS NULL
       AND COALESCE((SELECT max(r.number) FROM cash_receipts r WHERE r.block_id = b.id), 0) < b.last_no`,
    [orgId, clientId, reason],
  );
}

/** The verification code of a receipt's figures with its block's key (the device computes the same). */
export function receiptCode(key: Buffer, r: Parameters<typeof receiptCodePayload>[0]): string {
  return formatReceiptCode(createHmac('sha256', key).update(receiptCodePayload(r)).digest());
}
