import type Database from 'better-sqlite3-multiple-ciphers';
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

/** Above this many matches the id list costs more than scanning in sort order. */
const BROAD_MATCH = 500;
/** The trigram tokenizer indexes substrings of this many characters; shorter terms scan. */
const TRIGRAM = 3;

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The agent's queue: one page of accounts, filtered and sorted on indexed columns. Search
 * matches the folded name, national id or account reference as a substring, or — when the
 * agent typed 7+ digits and no letters — the tail of any of the debtor's phone numbers.
 */
export function createQueueReader(db: Database.Database, generation: () => number) {
  const cache = new Map<string, { count: Database.Statement; page: Database.Statement }>();
  // totals per filter, valid until the store changes: scrolling a queue recounts nothing
  const totals = new Map<string, number>();
  let totalsGeneration = -1;

  function statements(q: ParsedQuery, where: string[]) {
    const key = `${where.join('&')}|${q.sort}|${q.dir}`;
    let s = cache.get(key);
    if (!s) {
      const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
      const order = `${SORT_COLUMN[q.sort]} ${dir}, a.id ${dir}`;
      s = {
        count: db.prepare(`SELECT count(*) FROM accounts a ${w}`).pluck(),
        page: db.prepare(`SELECT a.id, a.debtor_id, a.debtor_name, d.national_id, a.external_ref, a.product, a.currency,
            a.balance_minor, a.dpd, a.bucket, a.segment, a.status, a.priority, a.priority_reason, a.callback_at,
            a.last_contact_at, a.time_zone, a.contactable_today, a.not_contactable_reason,
            (SELECT c.value FROM contact_points c WHERE c.debtor_id = a.debtor_id AND c.kind = 'phone'
               AND c.invalid = 0 ORDER BY c.do_not_contact, c.verified DESC, c.id LIMIT 1) AS phone
          FROM accounts a JOIN debtors d ON d.id = a.debtor_id ${w}
          ORDER BY ${order} LIMIT @limit OFFSET @offset`),
      };
      cache.set(key, s);
    }
    return s;
  }

  // each id list stops one past BROAD_MATCH: beyond that the page walks the sort index instead
  const byText = db.prepare(`SELECT id FROM accounts WHERE search_text LIKE ? ESCAPE '\\' LIMIT ${BROAD_MATCH + 1}`).pluck();
  const byTextOrDigits = db
    .prepare(
      `SELECT id FROM accounts WHERE search_text LIKE ? ESCAPE '\\' OR search_text LIKE ?
    LIMIT ${BROAD_MATCH + 1}`,
    )
    .pluck();
  const byPhoneTail = db
    .prepare(
      `SELECT a.id FROM contact_points c JOIN accounts a ON a.debtor_id = c.debtor_id
    WHERE c.digits_rev >= ? AND c.digits_rev < ?`,
    )
    .pluck();

  // the trigram index answers substrings of 3+ characters; during a full pull its triggers are
  // off (see LocalStore.deferIndexes) and it is stale until the rebuild, so the scan answers
  const byTrigram = db
    .prepare(
      `SELECT a.id FROM accounts_fts f JOIN accounts a ON a.rowid = f.rowid
    WHERE accounts_fts MATCH ? LIMIT ${BROAD_MATCH + 1}`,
    )
    .pluck();
  const trigramLive = db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'accounts_fts_insert'`).pluck();

  /** An FTS5 query matching any of the terms as a substring (each a quoted phrase). */
  function trigramQuery(terms: string[]): string {
    return terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
  }

  /**
   * The matching account ids, or more than BROAD_MATCH of them when the match is broad; `fts` is
   * the trigram query for the text part when the index answered it.
   */
  function matchIds(search: string): { ids: string[]; fts: string | null } {
    const folded = foldText(search);
    const like = `%${likeEscape(folded)}%`;
    const digits = digitsOnly(search);
    const useTrigram = folded.length >= TRIGRAM && trigramLive.get() === 1;
    if (digits.length >= PHONE_SUFFIX_MIN && !/\p{L}/u.test(search)) {
      const rev = reverseDigits(digits);
      const ids = new Set(byPhoneTail.all(rev, `${rev}:`) as string[]); // ':' sorts right after '9'
      // national ids and refs are often typed without their dots and dashes
      const fts = useTrigram ? trigramQuery(folded === digits ? [folded] : [folded, digits]) : null;
      const text = fts ? byTrigram.all(fts) : byTextOrDigits.all(like, `%${digits}%`);
      for (const id of text as string[]) ids.add(id);
      return { ids: [...ids], fts };
    }
    const fts = useTrigram ? trigramQuery([folded]) : null;
    return { ids: (fts ? byTrigram.all(fts) : byText.all(like)) as string[], fts };
  }

  return function listQueue(input: ParsedQuery): QueuePage {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: input.limit, offset: input.offset };
    if (input.bucket) {
      where.push('a.bucket = @bucket');
      params.bucket = input.bucket;
    }
    if (input.segment) {
      where.push('a.segment = @segment');
      params.segment = input.segment;
    }
    if (input.status) {
      where.push('a.status = @status');
      params.status = input.status;
    }
    if (input.contactableOnly) where.push('a.contactable_today = 1');
    const search = input.search?.trim();
    if (search) {
      // the matching ids first, each half on its own index (the narrow covering index on
      // search_text, the reversed-digits range on phones); filters and sort then run on them
      const { ids, fts } = matchIds(search);
      if (ids.length <= BROAD_MATCH) {
        params.ids = JSON.stringify(ids);
        where.push('a.id IN (SELECT value FROM json_each(@ids))');
      } else if (fts) {
        // a broad match ("gomez"): the sort index is walked (the unary + keeps the planner off
        // rowid lookups for thousands of matches) and each entry tested against the matched set
        params.fts = fts;
        where.push('+a.rowid IN (SELECT rowid FROM accounts_fts WHERE accounts_fts MATCH @fts)');
      } else {
        // a broad match while the search index rebuilds: walk the sort index testing each row
        params.like = `%${likeEscape(foldText(search))}%`;
        where.push(`a.search_text LIKE @like ESCAPE '\\'`);
      }
    }
    const s = statements(input, where);
    if (totalsGeneration !== generation()) {
      totals.clear();
      totalsGeneration = generation();
    }
    const totalKey = JSON.stringify([input.bucket, input.segment, input.status, search, input.contactableOnly]);
    let total = totals.get(totalKey);
    if (total === undefined) {
      total = s.count.get(params) as number;
      totals.set(totalKey, total);
    }
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
      contactableToday: r.contactable_today !== 0,
      notContactableReason: r.not_contactable_reason
        ? (JSON.parse(r.not_contactable_reason as string) as QueueRow['notContactableReason'])
        : null,
    }));
    return { total, rows };
  };
}
