import type Database from 'better-sqlite3-multiple-ciphers';
import { AccountScore } from '../../shared/risk/score';

/**
 * The synced risk scores (store migration 0009): written by pulled pages, read by the queue's
 * priority (through the deriver) and the account screen. A score is the server's alone: no local
 * write ever changes it.
 */
export function createScores(db: Database.Database) {
  const s = {
    upsert: db.prepare(`INSERT INTO account_scores (account_id, pay_probability, roll_probability, reasons, as_of, version)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(account_id) DO UPDATE SET pay_probability = excluded.pay_probability,
      roll_probability = excluded.roll_probability, reasons = excluded.reasons, as_of = excluded.as_of, version = excluded.version`),
    remove: db.prepare('DELETE FROM account_scores WHERE account_id = ?'),
    clear: db.prepare('DELETE FROM account_scores'),
    get: db.prepare('SELECT * FROM account_scores WHERE account_id = ?'),
    pay: db.prepare('SELECT pay_probability FROM account_scores WHERE account_id = ?').pluck(),
    any: db.prepare('SELECT EXISTS (SELECT 1 FROM account_scores)').pluck(),
  };
  return {
    upsert(x: AccountScore): void {
      s.upsert.run(x.accountId, x.payProbability, x.rollProbability, JSON.stringify(x.reasons), x.asOf, x.version);
    },
    remove(accountId: string): void {
      s.remove.run(accountId);
    },
    clear(): void {
      s.clear.run();
    },
    any(): boolean {
      return s.any.get() === 1;
    },
    /** The propensity to pay, or null when the account has no score. */
    payProbability(accountId: string): number | null {
      const p = s.pay.get(accountId) as number | undefined;
      return p ?? null;
    },
    get(accountId: string): AccountScore | null {
      const r = s.get.get(accountId) as
        | { account_id: string; pay_probability: number; roll_probability: number | null; reasons: string; as_of: string; version: string }
        | undefined;
      if (!r) return null;
      const parsed = AccountScore.safeParse({
        accountId: r.account_id,
        payProbability: r.pay_probability,
        rollProbability: r.roll_probability,
        reasons: JSON.parse(r.reasons),
        asOf: r.as_of,
        version: r.version,
      });
      return parsed.success ? parsed.data : null;
    },
  };
}
