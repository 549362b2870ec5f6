import { searchText } from '../../../shared/domain/search';
import type { Migration } from './types';

/**
 * The search text also holds national ids and references as letters and digits only (the shared
 * searchText), so "26627098" finds "26.627.098-K" and a cédula typed with dots finds one stored
 * without them: every account's text is rewritten once (the search index follows through its
 * update trigger). And the index the queue grouped by debtor counts its debtors from.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'search-compact-ids',
  up(db) {
    const rows = db
      .prepare(
        `SELECT a.rowid AS r, d.name, d.national_id AS nid, a.external_ref AS ref FROM accounts a JOIN debtors d ON d.id = a.debtor_id`,
      )
      .all() as Array<{ r: number; name: string; nid: string; ref: string }>;
    const update = db.prepare('UPDATE accounts SET search_text = ? WHERE rowid = ?');
    for (const row of rows) update.run(searchText(row.name, row.nid, row.ref), row.r);
    db.exec('CREATE INDEX accounts_contactable_debtor ON accounts(contactable_today, debtor_id);');
  },
};
