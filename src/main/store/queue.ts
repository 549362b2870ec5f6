import type Database from 'better-sqlite3-multiple-ciphers';
import {
  OrgComplianceState,
  QueueQuery,
  QueueReason,
  type DebtorAccount,
  type QueueGrouping,
  type QueuePage,
  type QueueRow,
} from '../../shared/api/contract';
import type { z } from 'zod';
import { countsContactsPerDebtor, mergeProfile, profileFor } from '../../shared/rules/compliance';
import { searchTerms } from '../../shared/domain/search';
import { reverseDigits } from './text';

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
 * The agent's queue: one page of accounts (or of debtors, each with their accounts), filtered and
 * sorted on indexed columns. Search matches the folded name, national id or account reference as
 * a substring (ids in any punctuation), or — when the agent typed 7+ digits and no letters — the
 * tail of any of the debtor's phone numbers, with or without country code (shared searchTerms).
 */
export function createQueueReader(db: Database.Database, generation: () => number) {
  const cache = new Map<string, { count: Database.Statement; page: Database.Statement }>();
  // totals per filter, valid until the store changes: scrolling a queue recounts nothing
  const totals = new Map<string, number>();
  let totalsGeneration = -1;

  function statements(q: ParsedQuery, where: string[], grouping: QueueGrouping) {
    const key = `${where.join('&')}|${q.sort}|${q.dir}|${grouping}`;
    let s = cache.get(key);
    if (!s) {
      const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
      const order = `${SORT_COLUMN[q.sort]} ${dir}, a.id ${dir}`;
      const conditions = [...where];
      if (grouping === 'debtor') {
        // a debtor shows once, as their first matching account in this order: no other account of
        // theirs that passes the same filters comes before it (a lookup on accounts_debtor per row
        // walked, so a page still walks the sort index)
        const b = (sql: string) => sql.replace(/\ba\./g, 'b.');
        const cmp = q.dir === 'asc' ? '<' : '>';
        const col = SORT_COLUMN[q.sort];
        conditions.push(`NOT EXISTS (SELECT 1 FROM accounts b WHERE b.debtor_id = a.debtor_id AND b.rowid <> a.rowid
          ${where.map((w) => `AND ${b(w)}`).join(' ')}
          AND (${b(col)} ${cmp} ${col} OR (${b(col)} = ${col} AND b.id ${cmp} a.id)))`);
      }
      const w = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
      const countWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
      s = {
        // grouped, the total is the number of debtors with a matching account
        count: db
          .prepare(
            grouping === 'debtor'
              ? `SELECT count(DISTINCT a.debtor_id) FROM accounts a ${countWhere}`
              : `SELECT count(*) FROM accounts a ${w}`,
          )
          .pluck(),
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

  // each id list stops one past BROAD_MATCH: beyond that the page walks the sort index instead;
  // a search has one or two text terms (as typed, and as letters and digits only: searchTerms)
  const byText = db
    .prepare(`SELECT id FROM accounts WHERE search_text LIKE ? ESCAPE '\\' OR search_text LIKE ? ESCAPE '\\' LIMIT ${BROAD_MATCH + 1}`)
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

  const likeOf = (term: string) => `%${likeEscape(term)}%`;

  /**
   * The matching account ids, or more than BROAD_MATCH of them when the match is broad; `fts` is
   * the trigram query for the text part when the index answered it. The shared searchTerms says
   * what a query looks for: its text as typed and compacted (ids in any punctuation), and the
   * tails of phone numbers it may be (with or without country code).
   */
  function matchIds(search: string): { ids: string[]; fts: string | null; likes: [string, string] } {
    const terms = searchTerms(search);
    const likes: [string, string] = [likeOf(terms.text[0] ?? ''), likeOf(terms.text[1] ?? terms.text[0] ?? '')];
    const useTrigram = terms.text.every((t) => t.length >= TRIGRAM) && trigramLive.get() === 1;
    const fts = useTrigram ? trigramQuery(terms.text) : null;
    const ids = new Set<string>();
    for (const tail of terms.phoneTails) {
      const rev = reverseDigits(tail);
      for (const id of byPhoneTail.all(rev, `${rev}:`) as string[]) ids.add(id); // ':' sorts right after '9'
    }
    for (const id of (fts ? byTrigram.all(fts) : byText.all(...likes)) as string[]) ids.add(id);
    return { ids: [...ids], fts, likes };
  }

  // the organisation's default grouping, from its cached rules (re-read when they change)
  const orgRules = db.prepare("SELECT value FROM meta WHERE key = 'orgCompliance'").pluck();
  let groupingFor: { raw: string | undefined; grouping: QueueGrouping } = { raw: '', grouping: 'account' };
  function defaultGrouping(): QueueGrouping {
    const raw = orgRules.get() as string | undefined;
    if (groupingFor.raw !== raw) {
      let grouping: QueueGrouping = 'account';
      if (raw) {
        const parsed = OrgComplianceState.safeParse(JSON.parse(raw));
        if (parsed.success) {
          const profile = mergeProfile(profileFor(parsed.data.country), parsed.data.rules.overrides);
          if (countsContactsPerDebtor(profile)) grouping = 'debtor';
        }
      }
      groupingFor = { raw, grouping };
    }
    return groupingFor.grouping;
  }

  const accountsOfDebtors = db.prepare(`SELECT debtor_id, id, external_ref, product, currency, balance_minor, dpd, bucket, status,
      priority, contactable_today FROM accounts WHERE debtor_id IN (SELECT value FROM json_each(?)) ORDER BY priority DESC, id`);

  /** Every account of each debtor on the page, the row's own account first. */
  function debtorAccounts(rows: QueueRow[]): void {
    const byDebtor = new Map<string, DebtorAccount[]>();
    for (const r of rows) byDebtor.set(r.debtorId, []);
    for (const r of accountsOfDebtors.all(JSON.stringify([...byDebtor.keys()])) as Array<Record<string, unknown>>) {
      byDebtor.get(r.debtor_id as string)?.push({
        accountId: r.id as string,
        externalRef: r.external_ref as string,
        product: r.product as string,
        currency: r.currency as DebtorAccount['currency'],
        balanceMinor: Number(r.balance_minor),
        dpd: Number(r.dpd),
        bucket: r.bucket as DebtorAccount['bucket'],
        status: r.status as DebtorAccount['status'],
        priority: Number(r.priority),
        contactableToday: r.contactable_today !== 0,
      });
    }
    for (const r of rows) {
      const list = byDebtor.get(r.debtorId) ?? [];
      const own = list.findIndex((a) => a.accountId === r.accountId);
      r.debtorAccounts = own > 0 ? [list[own]!, ...list.slice(0, own), ...list.slice(own + 1)] : list;
    }
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
      const { ids, fts, likes } = matchIds(search);
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
        params.like = likes[0];
        params.like2 = likes[1];
        where.push(`(a.search_text LIKE @like ESCAPE '\\' OR a.search_text LIKE @like2 ESCAPE '\\')`);
      }
    }
    const grouping = input.groupBy ?? defaultGrouping();
    const s = statements(input, where, grouping);
    if (totalsGeneration !== generation()) {
      totals.clear();
      totalsGeneration = generation();
    }
    const totalKey = JSON.stringify([input.bucket, input.segment, input.status, search, input.contactableOnly, grouping]);
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
    if (grouping === 'debtor' && rows.length > 0) debtorAccounts(rows);
    return { total, rows, groupBy: grouping };
  };
}
