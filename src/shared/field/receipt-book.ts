/**
 * A device's book of receipt numbers (docs/field-collection.md). The server hands each device
 * blocks of consecutive numbers from the organisation's one sequence; the device issues them in
 * increasing order, so what it has used is one number, its high-water mark (`hwm`): the last
 * number it issued. The next receipt takes the smallest held number above it. Pure: the store
 * (src/main/field), the server (src/server/field) and the property test share it.
 */
export interface HeldBlock {
  id: string;
  first: number;
  last: number;
}

/** Numbers a block holds. */
export const RECEIPT_BLOCK_SIZE = 50;
/** A sync asks for another block when fewer numbers than this are left. */
export const RECEIPT_REFILL_BELOW = 25;

/** The number the next receipt takes, or null when the device holds none above `hwm`. */
export function nextReceiptNumber(blocks: readonly HeldBlock[], hwm: number): { number: number; blockId: string } | null {
  let best: { number: number; blockId: string } | null = null;
  for (const b of blocks) {
    if (b.last <= hwm) continue;
    const n = Math.max(b.first, hwm + 1);
    if (!best || n < best.number) best = { number: n, blockId: b.id };
  }
  return best;
}

/** Numbers still to issue above `hwm`. */
export function receiptNumbersLeft(blocks: readonly HeldBlock[], hwm: number): number {
  return blocks.reduce((sum, b) => sum + (b.last <= hwm ? 0 : b.last - Math.max(b.first, hwm + 1) + 1), 0);
}

export function needsReceiptRefill(blocks: readonly HeldBlock[], hwm: number): boolean {
  return receiptNumbersLeft(blocks, hwm) < RECEIPT_REFILL_BELOW;
}

/**
 * The high-water mark a device must use: the largest of the store's and the one kept outside
 * the store (a store file copied back from a backup carries an old mark; the outside one does not).
 */
export function effectiveHwm(storeHwm: number, outsideHwm: number | null): number {
  return Math.max(storeHwm, outsideHwm ?? 0);
}

/**
 * The text a receipt's verification code signs (HMAC-SHA256 with its block's key, computed by the
 * device and again by the server): every figure printed that a forger would change.
 */
export function receiptCodePayload(r: {
  number: number;
  accountId: string;
  amountMinor: number;
  currency: string;
  issuedAt: string;
  method: string;
}): string {
  return ['v1', r.number, r.accountId, r.amountMinor, r.currency, r.issuedAt, r.method].join('|');
}

const BASE32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** The printed code: the first 50 bits of the MAC in an unambiguous alphabet, as XXXXX-XXXXX. */
export function formatReceiptCode(mac: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of mac) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 10) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length >= 10) break;
  }
  return `${out.slice(0, 5)}-${out.slice(5, 10)}`;
}

/** Receipt numbers as printed: eight digits, so they sort and read alike ("00001234"). */
export function formatReceiptNumber(n: number): string {
  return String(n).padStart(8, '0');
}
