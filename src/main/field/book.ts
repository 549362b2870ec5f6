import type { ReceiptBlocksResponse } from '../../shared/domain/field';
import { effectiveHwm, nextReceiptNumber, receiptNumbersLeft, type HeldBlock } from '../../shared/field/receipt-book';
import type { LocalStore } from '../store/store';
import type { DeviceMark } from './mark';

/**
 * The device's receipt numbers (docs/field-collection.md): the blocks in its store, the receipts
 * issued from them, and a mark kept OUTSIDE the store file — the highest number ever taken. A store
 * file copied back from an old backup carries an old high-water mark; the outside mark does not,
 * so the device goes on above it and never hands out a number twice. The mark is written (and
 * fsync'd) before the receipt's transaction: a crash between the two skips a number, never reuses one.
 */
export interface BlockWithKey extends HeldBlock {
  key: string;
}

export class ReceiptBook {
  constructor(
    private readonly store: LocalStore,
    private readonly mark: DeviceMark,
  ) {}

  blocks(): BlockWithKey[] {
    return this.store.db
      .prepare('SELECT id, first_no AS first, last_no AS last, key FROM receipt_blocks WHERE dropped = 0 ORDER BY first_no')
      .all() as BlockWithKey[];
  }

  /** The mark kept outside the store (null: none yet or unreadable — then the store's own is all there is). */
  outsideMark(): number | null {
    return this.mark.read()?.hwm ?? null;
  }

  /** The last number this device must consider used. */
  hwm(): number {
    const issued = Number(this.store.db.prepare('SELECT coalesce(max(number), 0) FROM receipts').pluck().get());
    const kept = Number(this.store.getMeta('receiptHwm') ?? '0');
    return effectiveHwm(Math.max(issued, kept), this.outsideMark());
  }

  generation(): number {
    return Number(this.store.getMeta('receiptGeneration') ?? '0');
  }

  left(): number {
    return receiptNumbersLeft(this.blocks(), this.hwm());
  }

  /** Takes the next number: the outside mark moves first. Null when the device holds none. */
  take(): (BlockWithKey & { number: number }) | null {
    const blocks = this.blocks();
    const next = nextReceiptNumber(blocks, this.hwm());
    if (!next) return null;
    this.writeMark(next.number);
    return { ...blocks.find((b) => b.id === next.blockId)!, number: next.number };
  }

  /** What the server answered: a restored store drops every block it held before adding the new ones. */
  accept(res: ReceiptBlocksResponse): void {
    const db = this.store.db;
    const now = new Date().toISOString();
    db.transaction(() => {
      if (res.restored) {
        db.prepare('UPDATE receipt_blocks SET dropped = 1').run();
        // nothing below the old blocks' end may be issued again, whatever the receipts table says
        const end = Number(db.prepare('SELECT coalesce(max(last_no), 0) FROM receipt_blocks').pluck().get());
        this.store.setMeta('receiptHwm', String(Math.max(end, Number(this.store.getMeta('receiptHwm') ?? '0'))));
      }
      const insert = db.prepare('INSERT OR IGNORE INTO receipt_blocks (id, first_no, last_no, key, received_at) VALUES (?, ?, ?, ?, ?)');
      for (const b of res.blocks) insert.run(b.id, b.first, b.last, b.key, now);
      this.store.setMeta('receiptGeneration', String(res.generation));
    })();
  }

  private writeMark(n: number): void {
    const was = this.mark.read();
    const seq = Math.max(this.store.outboxSeq(), was?.clientId === this.store.clientId ? was.seq : 0);
    this.mark.write({ clientId: this.store.clientId, hwm: n, seq }, true);
  }
}
