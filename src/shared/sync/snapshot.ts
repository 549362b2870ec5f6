import { z } from 'zod';
import { Account, ContactPoint, Debtor } from '../domain/entities';

/**
 * The bulk rows of a full pull — debtors, accounts, contact points, ~300,000 rows for a
 * 100,000-account portfolio — travel as tuples instead of objects: a tuple is the entity's
 * fields in the entity schema's own key order, so the wire names no key 300,000 times, parses
 * about three times faster, and lands in the client store's columns (the same order) without
 * an object per row. The element schemas are the entities' own (one definition of what a valid
 * account is); only two columns differ from the entity form, both for the store's sake:
 * a debtor's contact preferences arrive as their JSON text (stored as is, parsed where read),
 * and a contact point's flags as 0/1 (SQLite has no booleans).
 */

type Shape = Record<string, z.ZodType>;

/** The entity's field names, in order: the tuple's column order. */
function columnsOf<S extends Shape>(shape: S): Array<keyof S & string> {
  return Object.keys(shape) as Array<keyof S & string>;
}

/** A row is an array read by position (see A, D, C below): typed as such, checked element by element. */
function tupleOf<S extends Shape>(shape: S, replace: Partial<Record<keyof S, z.ZodType>> = {}): z.ZodType<unknown[]> {
  const items = columnsOf(shape).map((k) => replace[k] ?? shape[k]!);
  return z.tuple(items as [z.ZodType, ...z.ZodType[]]) as unknown as z.ZodType<unknown[]>;
}

const Flag = z.union([z.literal(0), z.literal(1)]);

export const DEBTOR_COLUMNS = columnsOf(Debtor.shape);
export const ACCOUNT_COLUMNS = columnsOf(Account.shape);
export const CONTACT_POINT_COLUMNS = columnsOf(ContactPoint.shape);

/** Contact preferences as JSON text: validated (and defaulted) by ContactPreferences where read. */
export const DebtorTuple = tupleOf(Debtor.shape, { contactPrefs: z.string() });
export const AccountTuple = tupleOf(Account.shape);
export const ContactPointTuple = tupleOf(ContactPoint.shape, { verified: Flag, invalid: Flag, doNotContact: Flag });

/** Position of each field in its tuple, by name, so code reads `row[A.balanceMinor]`. */
function positions<K extends string>(cols: readonly K[]): Record<K, number> {
  return Object.fromEntries(cols.map((c, i) => [c, i])) as Record<K, number>;
}
export const D = positions(DEBTOR_COLUMNS);
export const A = positions(ACCOUNT_COLUMNS);
export const C = positions(CONTACT_POINT_COLUMNS);

export const Snapshot = z.object({
  debtors: z.array(DebtorTuple),
  accounts: z.array(AccountTuple),
  contactPoints: z.array(ContactPointTuple),
});
export type Snapshot = z.infer<typeof Snapshot>;

export function emptySnapshot(): Snapshot {
  return { debtors: [], accounts: [], contactPoints: [] };
}
