import type Database from 'better-sqlite3';
import { QueueQuery, QueueReason, type QueuePage, type QueueRow } from '../../shared/api/contract';
import type { z } from 'zod';
import { digitsOnly, foldText, PHONE_SUFFIX_MIN, reverseDigits } from './text';

type ParsedQuery = z.output<typeof QueueQuery>;

const SORT_COLUMN: Record<ParsedQuery['sort'], string> = {
  priority: 'a.priority',
  balance: 'a.balance_minor',
  dpd: 'a.dpd',
  // search_text starts with the folded debtor name
  name: 'a.search_text',
};

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The agent's queue: one page of accounts, filtered and sorted on indexed columns. Search
 * matches the folded name, national id or account reference as a substring, or — when the
 * agent typed 7+ digits and no letters — the tail of any of the debtor's phone numbers.
 */
export function createQueueReader(db: Database.Database) {
  const cache = new Map<string, { count: Database.Statement; page: Database.Statement }>();

  function statements(q: ParsedQuery, where: string[]) {
    const key = `${where.join('&')}|${q.sort}|${q.dir}`;
    let s = cache.get(key);
    if (!s) {
      const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
      s = {
        count: db.prepare(`SELECT count(*) FROM accounts a ${w}`).pluck(),
        page: db.prepare(`SELECT a.id, a.debtor_id, a.debtor_name, d.national_id, a.external_ref, a.product, a.currency,
            a.balance_minor, a.dpd, a.bucket, a.segment, a.status, a.priority, a.priority_reason, a.callback_at,
            a.last_contact_at, a.time_zone,
            (SELECT c.value FROM contact_points c WHERE c.debtor_id = a.debtor_id AND c.kind = 'phone'
               AND c.invalid = 0 ORDER BY c.do_not_contact, c.verified DESC, c.id LIMIT 1) AS phone
          FROM accounts a JOIN debtors d ON d.id = a.debtor_id ${w}
          ORDER BY ${SORT_COLUMN[q.sort]} ${dir}, a.id ${dir} LIMIT @limit OFFSET @offset`),
      };
      cache.set(key, s);
    }
    return s;
  }

  return function listQueue(input: ParsedQuery): QueuePage {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: input.limit, offset: input.offset };
    if (input.bucket) { where.push('a.bucket = @bucket'); params.bucket = input.bucket; }
    if (input.segment) { where.push('a.segment = @segment'); params.segment = input.segment; }
    if (input.status) { where.push('a.status = @status'); params.status = input.status; }
    const search = input.search?.trim();
    if (search) {
      const folded = foldText(search);
      const digits = digitsOnly(search);
      const text = `a.search_text LIKE @like ESCAPE '\\'`;
      params.like = `%${likeEscape(folded)}%`;
      if (digits.length >= PHONE_SUFFIX_MIN && !/\p{L}/u.test(search)) {
        const rev = reverseDigits(digits);
        params.revLo = rev;
        params.revHi = `${rev}:`; // ':' sorts right after '9'
        // national ids and refs are often typed without their dots and dashes
        params.likeDigits = `%${digits}%`;
        // a UNION of two index-friendly halves: the phone range on its index, the text scan
        // on the narrow search_text index; an OR across them would scan with a subquery per row
        where.push(`a.id IN (SELECT x.id FROM contact_points c JOIN accounts x ON x.debtor_id = c.debtor_id
            WHERE c.digits_rev >= @revLo AND c.digits_rev < @revHi
          UNION SELECT y.id FROM accounts y WHERE y.search_text LIKE @like ESCAPE '\\' OR y.search_text LIKE @likeDigits)`);
      } else {
        where.push(text);
      }
    }
    const s = statements(input, where);
    const total = s.count.get(params) as number;
    const rows = (s.page.all(params) as Array<Record<string, unknown>>).map((r): QueueRow => ({
      accountId: r.id as string,
      debtorId: r.debtor_id as string,
      debtorName: r.debtor_name as string,
      nationalId: r.national_id as string,
      externalRef: r.external_ref as string,
      product: r.product as string,
      currency: r.currency as QueueRow['currency'],
      balanceMinor: Number(r.balance_minor),
      dpd: Number(r.dpd),
      bucket: r.bucket as QueueRow['bucket'],
      segment: r.segment as QueueRow['segment'],
      status: r.status as QueueRow['status'],
      priority: Number(r.priority),
      reason: QueueReason.parse(JSON.parse(r.priority_reason as string)),
      callbackAt: (r.callback_at ?? null) as string | null,
      lastContactAt: (r.last_contact_at ?? null) as string | null,
      phone: (r.phone ?? null) as string | null,
      timeZone: r.time_zone as string,
    }));
    return { total, rows };
  };
}
