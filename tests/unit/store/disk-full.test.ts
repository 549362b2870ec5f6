import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toWorkstationError } from '../../../src/main/services/errors';
import { account, debtor, page, tempStores } from './fixtures';

const { open } = tempStores('store-full-');

describe('a full disk', () => {
  it('is reported as storage.full, not as an internal error or offline, and the write is not half made', () => {
    const s = open();
    const d = debtor();
    const a = account(d);
    s.applyPull(page({ debtors: [d], accounts: [a] }));
    // the file may not grow past the pages it has: SQLite answers SQLITE_FULL, as on a full disk
    const pages = s.db.pragma('page_count', { simple: true }) as number;
    s.db.pragma(`max_page_count = ${pages}`);
    expect(s.db.pragma('max_page_count', { simple: true })).toBe(pages);
    const body = 'x'.repeat(1000);
    let err: unknown;
    let written = 0;
    try {
      for (; written < 10_000; written++) {
        s.write([{ name: 'note.add', args: { id: randomUUID(), accountId: a.id, body, createdAt: '2026-11-25T14:00:00Z' } }]);
      }
    } catch (e) {
      err = e;
    }
    expect((err as { code?: string }).code).toBe('SQLITE_FULL');
    const we = toWorkstationError(err);
    expect(we.code).toBe('storage.full');
    // nothing of the failed write stayed: the notes and outbox rows are those that were written
    expect(written).toBeLessThan(10_000);
    expect(s.pendingCount()).toBe(written);
    expect(s.getAccount(a.id)?.notes.length).toBe(written);
  });

  it('a file write failing with ENOSPC is storage.full too', () => {
    const e = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(toWorkstationError(e).code).toBe('storage.full');
    expect(toWorkstationError(new Error('boom')).code).toBe('internal');
  });
});
