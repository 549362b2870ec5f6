import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ImportReport, PortfolioRow, RowError } from '../../shared/domain/portfolio';
import { importRefusals, type ImportRefusalKind, type Scope } from '../access/visibility';
import type { Db } from '../db';
import { writeTransaction } from '../db/write';
import { CLI_ACTOR, declareActor, type WriteActor } from '../imports/actor';
import type { GivenFields, ParsedPortfolioRow } from './parse';

const ALL_GIVEN: GivenFields = { timeZone: true, debtorType: true, segment: true };

/**
 * Writes validated portfolio rows. Debtors are matched by (org, external id), accounts by
 * (org, external ref), contact points by (debtor, kind, value). What the file does not say is
 * kept: contact points missing from the file stay, flags an agent set (invalid, do-not-contact,
 * verified) are never touched, an empty agent cell keeps the current assignment and account
 * status is never changed by an import. Versions: every chunk runs in writeTransaction and
 * first draws one version through next_change_version(), which sets the transaction's change
 * mark (0006-change-horizon.sql) before anything else is drawn; new rows then draw
 * nextval('change_version') directly (no function call per row), still covered by the mark, so
 * no pull's head passes them before the chunk commits. Updates get theirs from the bump_version
 * trigger (0001-initial.sql), so a row that did not change keeps its version and clients do not
 * download it again.
 *
 * Speed: rows go to the database in chunks, each chunk a handful of set-based statements in
 * one write transaction. If a chunk fails, it is replayed one row per savepoint so only the
 * failing row is lost and its error names it.
 */

export interface UpsertOptions {
  /** Rows per write transaction; the change lock is released between chunks so sync keeps flowing. */
  chunkSize?: number;
  /** Whose file this is (src/server/access/visibility.ts decides what it may change); absent = the whole organisation (CLI). */
  scope?: Scope;
  /** Who loads the file; recorded as the author of reassignments (assignment_log). Default: the command line. */
  actor?: WriteActor;
  /** National ids already warned about in this run (a file upserted in several calls warns once). */
  warned?: Set<string>;
  /**
   * Debtor ids and contact-point keys already counted in this run (a file upserted in several
   * calls counts a debtor spanning two calls once); the report counts only what is new here.
   */
  seen?: { debtors: Set<string>; contactPoints: Set<string> };
}

export const DB_FIELD = 'base_de_datos';
const AGENT_FIELD = 'asesor';
const NATIONAL_ID_FIELD = 'documento';
const REFUSED_FIELD: Record<ImportRefusalKind, string> = { account: 'cuenta', debtor: 'id_deudor', agent: AGENT_FIELD };

interface ChunkCounts {
  debtors: Set<string>;
  accounts: number;
  contactPointKeys: Set<string>;
}

interface AgentIndex {
  ids: Map<string, string>;
  disabled: Set<string>;
}

async function loadAgents(db: Db, orgId: string, usernames: string[]): Promise<AgentIndex> {
  const ids = new Map<string, string>();
  const disabled = new Set<string>();
  if (usernames.length === 0) return { ids, disabled };
  const users = await db.query<{ id: string; username: string; disabled: boolean }>(
    'SELECT id, username, disabled FROM users WHERE org_id = $1 AND lower(username) = ANY($2::text[])',
    [orgId, usernames.map((u) => u.toLowerCase())],
  );
  for (const u of users) {
    ids.set(u.username.toLowerCase(), u.id);
    if (u.disabled) disabled.add(u.username.toLowerCase());
  }
  return { ids, disabled };
}

function contactPrefsFor(row: PortfolioRow): string {
  return JSON.stringify({ authorizedChannels: row.authorizedChannels, preferredChannel: null, windows: [], preferredPaymentDay: null });
}

/** Writes one chunk set-based. Rows must have unique account refs. */
async function writeChunk(tx: Db, orgId: string, rows: ParsedPortfolioRow[], agents: AgentIndex): Promise<ChunkCounts> {
  // One statement may not upsert the same debtor twice: the debtor's rows are folded into one,
  // a later row's value replacing an earlier one only where the later row gave it (an empty
  // zone, type or segment is "not given", never "reset to the default").
  // A channel list on any of the debtor's rows counts (rows often fill it on the first only).
  const debtorRows = new Map<string, { row: PortfolioRow; given: GivenFields }>();
  for (const { row, given = ALL_GIVEN } of rows) {
    const prev = debtorRows.get(row.debtorExternalId);
    if (!prev) {
      debtorRows.set(row.debtorExternalId, { row, given });
      continue;
    }
    const merged: PortfolioRow = {
      ...row,
      timeZone: given.timeZone ? row.timeZone : prev.row.timeZone,
      debtorType: given.debtorType ? row.debtorType : prev.row.debtorType,
      segment: given.segment ? row.segment : prev.row.segment,
      authorizedChannels: row.authorizedChannels.length > 0 ? row.authorizedChannels : prev.row.authorizedChannels,
    };
    debtorRows.set(row.debtorExternalId, {
      row: merged,
      given: {
        timeZone: given.timeZone || prev.given.timeZone,
        debtorType: given.debtorType || prev.given.debtorType,
        segment: given.segment || prev.given.segment,
      },
    });
  }
  const debtors = [...debtorRows.values()];
  const prefsExpr = `CASE
         WHEN jsonb_array_length(d.prefs::jsonb -> 'authorizedChannels') > 0
           THEN t.contact_prefs || jsonb_build_object('authorizedChannels', d.prefs::jsonb -> 'authorizedChannels')
         ELSE t.contact_prefs END`;
  const externalIds = debtors.map((d) => d.row.debtorExternalId);
  const columns = [
    externalIds,
    debtors.map((d) => d.row.name),
    debtors.map((d) => d.row.nationalId),
    debtors.map((d) => d.row.country),
    debtors.map((d) => d.row.timeZone),
    debtors.map((d) => d.row.debtorType),
    debtors.map((d) => d.row.segment),
    debtors.map((d) => contactPrefsFor(d.row)),
  ];
  const unnestDebtors = `unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
         AS d(external_id, name, national_id, country, time_zone, debtor_type, segment, prefs)`;
  // New debtors: what the file gave, defaults for the rest. Their ids come back here, so the
  // update and the id lookup below are only for the debtors the database already had (none, for
  // a first load: two statements of a chunk's five saved).
  const inserted = await tx.query<{ id: string; external_id: string }>(
    `INSERT INTO debtors (org_id, external_id, name, national_id, country, time_zone, debtor_type, segment, contact_prefs, version)
     SELECT $1, d.external_id, d.name, d.national_id, d.country, d.time_zone, d.debtor_type, d.segment, d.prefs::jsonb,
            nextval('change_version')
       FROM ${unnestDebtors}
     ON CONFLICT (org_id, external_id) DO NOTHING
     RETURNING id, external_id`,
    [orgId, ...columns],
  );
  const debtorId = new Map(inserted.map((d) => [d.external_id, d.id]));
  const knownAt = externalIds.flatMap((id, i) => (debtorId.has(id) ? [] : [i]));
  const known = <T>(values: T[]): T[] => knownAt.map((i) => values[i]!);
  // Known debtors: only what the file gave (NULL = not given, the recorded value stays). The
  // WHERE skips rows that would not change: no new tuple, no trigger, the version stays.
  const givenOnly = (key: keyof GivenFields, values: string[]) => values.map((v, i) => (debtors[i]!.given[key] ? v : null));
  if (knownAt.length > 0) {
    await tx.query(
      `UPDATE debtors t SET
       name = d.name, national_id = d.national_id, country = d.country,
       time_zone = coalesce(d.time_zone, t.time_zone), debtor_type = coalesce(d.debtor_type, t.debtor_type),
       segment = coalesce(d.segment, t.segment),
       -- An empty channel list means the file did not say; a list replaces what was authorised.
       contact_prefs = ${prefsExpr}
     FROM ${unnestDebtors}
     WHERE t.org_id = $1 AND t.external_id = d.external_id
       AND (t.name, t.national_id, t.country, t.time_zone, t.debtor_type, t.segment, t.contact_prefs)
         IS DISTINCT FROM (d.name, d.national_id, d.country, coalesce(d.time_zone, t.time_zone), coalesce(d.debtor_type, t.debtor_type),
                           coalesce(d.segment, t.segment), ${prefsExpr})`,
      [
        orgId,
        ...columns.slice(0, 4).map(known),
        known(givenOnly('timeZone', columns[4]!)),
        known(givenOnly('debtorType', columns[5]!)),
        known(givenOnly('segment', columns[6]!)),
        known(columns[7]!),
      ],
    );
    const found = await tx.query<{ id: string; external_id: string }>(
      // A join, not external_id = ANY($2): on a large table the planner scans it and compares every
      // row with every id of the chunk (seconds per chunk at a few hundred thousand debtors).
      'SELECT d.id, d.external_id FROM unnest($2::text[]) AS k(external_id) JOIN debtors d ON d.org_id = $1 AND d.external_id = k.external_id',
      [orgId, known(externalIds)],
    );
    for (const d of found) debtorId.set(d.external_id, d.id);
  }
  const idOf = (row: PortfolioRow): string => {
    const id = debtorId.get(row.debtorExternalId);
    if (!id) throw new Error(`debtor ${row.debtorExternalId} was not written`);
    return id;
  };

  const acc = rows.map(({ row }) => row);
  await tx.query(
    `INSERT INTO accounts (org_id, debtor_id, external_ref, product, currency, principal_minor, balance_minor, due_date,
                           installments_total, installments_paid, installment_amount_minor, assigned_agent_id, version)
     SELECT $1, a.debtor_id, a.external_ref, a.product, a.currency, a.principal_minor, a.balance_minor, a.due_date,
            a.installments_total, a.installments_paid, a.installment_amount_minor, a.agent_id, nextval('change_version')
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::date[],
                   $9::int[], $10::int[], $11::bigint[], $12::uuid[])
         AS a(debtor_id, external_ref, product, currency, principal_minor, balance_minor, due_date,
              installments_total, installments_paid, installment_amount_minor, agent_id)
     ON CONFLICT (org_id, external_ref) DO UPDATE SET
       debtor_id = EXCLUDED.debtor_id, product = EXCLUDED.product, currency = EXCLUDED.currency,
       principal_minor = EXCLUDED.principal_minor, balance_minor = EXCLUDED.balance_minor,
       due_date = EXCLUDED.due_date, installments_total = EXCLUDED.installments_total,
       installments_paid = EXCLUDED.installments_paid, installment_amount_minor = EXCLUDED.installment_amount_minor,
       assigned_agent_id = COALESCE(EXCLUDED.assigned_agent_id, accounts.assigned_agent_id)
     WHERE (accounts.debtor_id, accounts.product, accounts.currency, accounts.principal_minor, accounts.balance_minor,
            accounts.due_date, accounts.installments_total, accounts.installments_paid, accounts.installment_amount_minor,
            accounts.assigned_agent_id)
       IS DISTINCT FROM (EXCLUDED.debtor_id, EXCLUDED.product, EXCLUDED.currency, EXCLUDED.principal_minor, EXCLUDED.balance_minor,
            EXCLUDED.due_date, EXCLUDED.installments_total, EXCLUDED.installments_paid, EXCLUDED.installment_amount_minor,
            COALESCE(EXCLUDED.assigned_agent_id, accounts.assigned_agent_id))`,
    [
      orgId,
      acc.map(idOf),
      acc.map((r) => r.accountRef),
      acc.map((r) => r.product),
      acc.map((r) => r.currency),
      acc.map((r) => r.principalMinor),
      acc.map((r) => r.balanceMinor),
      acc.map((r) => r.dueDate),
      acc.map((r) => r.installmentsTotal),
      acc.map((r) => r.installmentsPaid),
      acc.map((r) => r.installmentAmountMinor),
      acc.map((r) => (r.assignedAgent ? (agents.ids.get(r.assignedAgent.toLowerCase()) ?? null) : null)),
    ],
  );

  const cpDebtor: string[] = [];
  const cpKind: string[] = [];
  const cpValue: string[] = [];
  const seen = new Set<string>();
  const add = (debtor: string, kind: string, value: string) => {
    const key = `${debtor}|${kind}|${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    cpDebtor.push(debtor);
    cpKind.push(kind);
    cpValue.push(value);
  };
  for (const r of acc) {
    const id = idOf(r);
    for (const p of r.phones) add(id, 'phone', p);
    for (const w of r.whatsapp) add(id, 'whatsapp', w);
    for (const e of r.emails) add(id, 'email', e);
    if (r.address) add(id, 'address', r.address);
  }
  if (cpDebtor.length > 0) {
    // DO NOTHING: an existing contact point keeps its flags (invalid, do-not-contact, verified).
    await tx.query(
      `INSERT INTO contact_points (debtor_id, kind, value, version)
       SELECT c.*, nextval('change_version') FROM unnest($1::uuid[], $2::text[], $3::text[]) AS c
       ON CONFLICT (debtor_id, kind, value) DO NOTHING`,
      [cpDebtor, cpKind, cpValue],
    );
  }
  return { debtors: new Set(debtorId.values()), accounts: rows.length, contactPointKeys: seen };
}

const WARNED_LIST = 5;

/**
 * The same national id (in one country) on two debtors is legal in the data but usually a typo or
 * a duplicate customer record: warned about once per id, at the first row of this run that has it,
 * naming the other debtors. Checked against the whole organisation, not only this file.
 */
async function sharedNationalIds(db: Db, orgId: string, rows: readonly ParsedPortfolioRow[], warned: Set<string>): Promise<RowError[]> {
  const first = new Map<string, ParsedPortfolioRow>();
  for (const r of rows) {
    const key = `${r.row.country}|${r.row.nationalId}`;
    if (!warned.has(key) && !first.has(key)) first.set(key, r);
  }
  if (first.size === 0) return [];
  const list = [...first.values()];
  const shared = await db.query<{ country: string; nid: string; ids: string[] }>(
    `SELECT d.country, d.national_id AS nid, array_agg(d.external_id ORDER BY d.external_id) AS ids
       FROM debtors d JOIN unnest($2::text[], $3::text[]) AS k(country, nid) ON d.country = k.country AND d.national_id = k.nid
      WHERE d.org_id = $1 GROUP BY d.country, d.national_id HAVING count(*) > 1`,
    [orgId, list.map((r) => r.row.country), list.map((r) => r.row.nationalId)],
  );
  return shared.map((s) => {
    const key = `${s.country}|${s.nid}`;
    warned.add(key);
    const r = first.get(key)!;
    const others = s.ids.filter((id) => id !== r.row.debtorExternalId);
    const names =
      others
        .slice(0, WARNED_LIST)
        .map((id) => `"${id}"`)
        .join(', ') + (others.length > WARNED_LIST ? ` y ${others.length - WARNED_LIST} más` : '');
    return {
      row: r.rowNumber,
      field: NATIONAL_ID_FIELD,
      message: `el documento "${s.nid}" (${s.country}) también es de ${others.length === 1 ? 'el deudor' : 'los deudores'} ${names}`,
    };
  });
}

function dbErrorMessage(e: unknown): string {
  const err = e as { message?: string; detail?: string };
  return `no se pudo guardar: ${err.message ?? String(e)}${err.detail ? ` (${err.detail})` : ''}`;
}

/**
 * Upserts parsed rows for one organisation. Row errors (unknown or disabled agent, a database
 * refusal) leave that row out entirely; every other row is written.
 */
export async function upsertPortfolio(
  db: Db,
  orgId: string,
  rows: readonly ParsedPortfolioRow[],
  options: UpsertOptions = {},
): Promise<ImportReport> {
  const chunkSize = options.chunkSize ?? 1000;
  const errors: RowError[] = [];
  const usernames = [...new Set(rows.map((r) => r.row.assignedAgent).filter((a): a is string => a !== null))];
  const agents = await loadAgents(db, orgId, usernames);

  // Later rows for the same account replace earlier ones, as a row-by-row import would.
  const byAccount = new Map<string, ParsedPortfolioRow>();
  for (const r of rows) {
    const agent = r.row.assignedAgent?.toLowerCase();
    if (agent !== undefined && !agents.ids.has(agent)) {
      errors.push({ row: r.rowNumber, field: AGENT_FIELD, message: `no existe el asesor "${r.row.assignedAgent}" en la organización` });
      continue;
    }
    if (agent !== undefined && agents.disabled.has(agent)) {
      errors.push({ row: r.rowNumber, field: AGENT_FIELD, message: `el asesor "${r.row.assignedAgent}" está deshabilitado` });
      continue;
    }
    byAccount.delete(r.row.accountRef);
    byAccount.set(r.row.accountRef, r);
  }
  let toWrite = [...byAccount.values()];
  if (options.scope) {
    const refused = await importRefusals(
      db,
      options.scope,
      toWrite.map((r) => ({
        rowNumber: r.rowNumber,
        accountRef: r.row.accountRef,
        debtorExternalId: r.row.debtorExternalId,
        agentId: r.row.assignedAgent ? (agents.ids.get(r.row.assignedAgent.toLowerCase()) ?? null) : null,
      })),
    );
    const refusedRows = new Set(refused.map((r) => r.rowNumber));
    for (const r of refused) errors.push({ row: r.rowNumber, field: REFUSED_FIELD[r.kind], message: r.message });
    toWrite = toWrite.filter((r) => !refusedRows.has(r.rowNumber));
  }

  const debtors = options.seen?.debtors ?? new Set<string>();
  let accounts = 0;
  // A debtor's contact points recur on each of their accounts' rows, maybe in several chunks.
  const contactPoints = options.seen?.contactPoints ?? new Set<string>();
  const before = { debtors: debtors.size, contactPoints: contactPoints.size };
  const tally = (c: ChunkCounts) => {
    for (const d of c.debtors) debtors.add(d);
    accounts += c.accounts;
    for (const k of c.contactPointKeys) contactPoints.add(k);
  };
  const warnings: RowError[] = [];
  const warned = options.warned ?? new Set<string>();
  for (let i = 0; i < toWrite.length; i += chunkSize) {
    const chunk = toWrite.slice(i, i + chunkSize);
    await writeTransaction(db, orgId, async (tx) => {
      await declareActor(tx, options.actor ?? CLI_ACTOR);
      // the change mark, before the first nextval of the chunk (see above)
      await tx.query('SELECT next_change_version()');
      try {
        tally(await tx.transaction((sp) => writeChunk(sp, orgId, chunk, agents)));
      } catch {
        // Something in the chunk was refused: isolate it, one savepoint per row.
        for (const r of chunk) {
          try {
            tally(await tx.transaction((sp) => writeChunk(sp, orgId, [r], agents)));
          } catch (e) {
            errors.push({ row: r.rowNumber, field: DB_FIELD, message: dbErrorMessage(e) });
          }
        }
      }
    });
    // the change lock is free here: let queued requests (and sync) run before the next chunk
    await yieldToEventLoop();
    const failed = new Set(errors.map((e) => e.row));
    warnings.push(
      ...(await sharedNationalIds(
        db,
        orgId,
        chunk.filter((r) => !failed.has(r.rowNumber)),
        warned,
      )),
    );
  }
  errors.sort((a, b) => a.row - b.row);
  warnings.sort((a, b) => a.row - b.row);
  return {
    rowsRead: rows.length,
    debtorsUpserted: debtors.size - before.debtors,
    accountsUpserted: accounts,
    contactPointsUpserted: contactPoints.size - before.contactPoints,
    errors,
    warnings,
  };
}
