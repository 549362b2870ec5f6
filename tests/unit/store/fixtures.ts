import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { LocalStore } from '../../../src/main/store/store';
import type { Account, ContactPoint, Debtor } from '../../../src/shared/domain/entities';
import { emptyPatch, type Patch, type PullResponse } from '../../../src/shared/sync/protocol';
import { ACCOUNT_COLUMNS, CONTACT_POINT_COLUMNS, DEBTOR_COLUMNS } from '../../../src/shared/sync/snapshot';

export const ORG = '00000000-0000-4000-8000-000000000001';
export const AGENT = '00000000-0000-4000-8000-0000000000a1';

export function debtor(over: Partial<Debtor> = {}): Debtor {
  return {
    id: randomUUID(),
    orgId: ORG,
    externalId: `D-${randomUUID().slice(0, 8)}`,
    name: 'Ana Gómez',
    nationalId: '1020304050',
    country: 'CO',
    timeZone: 'America/Bogota',
    debtorType: 'individual',
    segment: 'medium',
    contactPrefs: { authorizedChannels: ['call'], preferredChannel: null, windows: [], preferredPaymentDay: null },
    version: '1',
    ...over,
  };
}

export function account(d: Debtor, over: Partial<Account> = {}): Account {
  return {
    id: randomUUID(),
    orgId: ORG,
    debtorId: d.id,
    externalRef: `ACC-${randomUUID().slice(0, 8)}`,
    product: 'Tarjeta',
    currency: 'COP',
    principalMinor: 1_000_000,
    balanceMinor: 500_000,
    dueDate: '2026-10-01',
    installmentsTotal: 12,
    installmentsPaid: 3,
    installmentAmountMinor: 100_000,
    status: 'active',
    assignedAgentId: AGENT,
    callbackAt: null,
    callbackNote: null,
    lastContactAt: null,
    version: '1',
    ...over,
  };
}

export function phone(d: Debtor, value: string, over: Partial<ContactPoint> = {}): ContactPoint {
  return {
    id: randomUUID(),
    debtorId: d.id,
    kind: 'phone',
    value,
    label: null,
    verified: true,
    invalid: false,
    doNotContact: false,
    version: '1',
    ...over,
  };
}

export function page(patch: Partial<Patch>, over: Partial<PullResponse> = {}): PullResponse {
  return {
    cursor: String(Date.now()),
    hasMore: false,
    reset: false,
    lastMutationId: 0,
    serverTime: new Date().toISOString(),
    patch: { ...emptyPatch(), ...patch },
    ...over,
  };
}

const FIRST = ['Ana', 'José', 'María', 'Luis', 'Sofía', 'Andrés', 'Lucía', 'Óscar', 'Camila', 'Iván'];
const LAST = ['Gómez', 'Peña', 'Muñoz', 'Rodríguez', 'Martínez', 'Pérez', 'Sánchez', 'Ramírez', 'Núñez', 'Díaz'];
const ZONES = ['America/Bogota', 'America/Mexico_City', 'America/Lima', 'America/Santiago'];

/** A portfolio of n accounts (one per debtor, ~2 phones each), as one or more pull pages. */
export function portfolio(n: number, pageSize = 10_000): Patch[] {
  const pages: Patch[] = [];
  for (let start = 0; start < n; start += pageSize) {
    const p = emptyPatch();
    for (let i = start; i < Math.min(n, start + pageSize); i++) {
      const d = debtor({
        name: `${FIRST[i % 10]} ${LAST[Math.floor(i / 10) % 10]} ${LAST[(i * 7) % 10]} ${i}`,
        nationalId: String(10_000_000 + i),
        timeZone: ZONES[i % 4]!,
        segment: (['low', 'medium', 'high'] as const)[i % 3]!,
      });
      const day = 1 + (i % 28);
      const month = 1 + (i % 10);
      p.debtors.push(d);
      p.accounts.push(
        account(d, {
          externalRef: `ACC-${String(i).padStart(7, '0')}`,
          balanceMinor: 10_000 + ((i * 7919) % 5_000_000),
          dueDate: `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
          status: i % 50 === 0 ? 'dispute' : 'active',
        }),
      );
      p.contactPoints.push(phone(d, `+57300${String(1_000_000 + i).padStart(7, '0')}`));
      p.contactPoints.push(phone(d, `+57601${String(2_000_000 + i).padStart(7, '0')}`, { verified: false }));
    }
    pages.push(p);
  }
  return pages;
}

/** Stores on temp files, closed and removed after each test. Call once per test file. */
export function tempStores(prefix: string) {
  const dirs: string[] = [];
  const stores: LocalStore[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function tmpFile(): string {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return join(d, 'store.sqlite');
  }
  function open(file = tmpFile()): LocalStore {
    const s = LocalStore.open(file, { agentId: AGENT, now: () => new Date('2026-11-25T15:00:00Z') });
    stores.push(s);
    return s;
  }
  return { tmpFile, open };
}

/**
 * The same page with its debtors, accounts and contact points as snapshot tuples (what the
 * server sends a client that asks for `tuples`), the rest of the patch unchanged.
 */
export function asTuples(p: PullResponse): PullResponse {
  const row = (cols: readonly string[], o: Record<string, unknown>) => cols.map((c) => o[c]);
  return {
    ...p,
    patch: { ...p.patch, debtors: [], accounts: [], contactPoints: [] },
    snapshot: {
      debtors: p.patch.debtors.map((d) => row(DEBTOR_COLUMNS, { ...d, contactPrefs: JSON.stringify(d.contactPrefs) })),
      accounts: p.patch.accounts.map((a) => row(ACCOUNT_COLUMNS, a)),
      contactPoints: p.patch.contactPoints.map((c) =>
        row(CONTACT_POINT_COLUMNS, {
          ...c,
          verified: c.verified ? 1 : 0,
          invalid: c.invalid ? 1 : 0,
          doNotContact: c.doNotContact ? 1 : 0,
        }),
      ),
    },
  };
}
