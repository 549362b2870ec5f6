import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DebtorExport } from '../../../src/shared/api/privacy';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';
import { importRows, lookup, row } from '../compliance/helpers';
import { addUser, inDays, SyncClient } from './fixtures';

/**
 * Debtors' rights (src/server/privacy, docs/privacy.md): the export holds every kind of record of
 * one debtor and nothing of another; erasure is refused while an account is open or the
 * retention period runs, done after it, keeps every report total, reaches workstations at their
 * next pull, and everything is in the append-only privacy audit.
 */
describe.each(BACKENDS)('debtor privacy on %s', (backend) => {
  let s: TestServer;
  let admin: string;
  let lead: string;
  let agent: SyncClient;
  let mine: Awaited<ReturnType<typeof lookup>>;
  let other: Awaited<ReturnType<typeof lookup>>;
  const ids = { call: randomUUID(), night: randomUUID(), note: randomUUID(), promise: randomUUID(), message: randomUUID() };
  const NOTE = 'Dice que cobra el día 15 en la ferretería de su hermano';
  const OTHER_NOTE = 'Nota de otro deudor que no debe aparecer';

  const exportOf = async (debtorId: string, token = admin) => call(s, 'GET', `/api/v1/privacy/debtors/${debtorId}/export`, { token });
  const erase = (debtorId: string, token = admin) =>
    call(s, 'POST', `/api/v1/privacy/debtors/${debtorId}/erase`, { token, body: { reason: 'Solicitud del titular del 01/12/2026' } });
  const audit = (debtorId: string) =>
    s.db.query<{ action: string; actorId: string; detail: Record<string, unknown> }>(
      'SELECT action, actor_id AS "actorId", detail FROM privacy_audit WHERE debtor_id = $1 ORDER BY seq',
      [debtorId],
    );

  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 5 } });
    await importRows(s, [
      row({
        debtorExternalId: 'PRV-A',
        name: 'Rosa Privada Uno',
        nationalId: '90000001',
        accountRef: 'PRV-A-1',
        phones: ['+573009990001'],
        emails: ['rosa@example.com'],
        whatsapp: [],
      }),
      row({
        debtorExternalId: 'PRV-A',
        name: 'Rosa Privada Uno',
        nationalId: '90000001',
        accountRef: 'PRV-A-2',
        phones: ['+573009990001'],
        emails: ['rosa@example.com'],
        whatsapp: [],
      }),
      row({
        debtorExternalId: 'PRV-B',
        name: 'Pedro Ajeno Dos',
        nationalId: '90000002',
        accountRef: 'PRV-B-1',
        phones: ['+573009990002'],
        emails: ['pedro@example.com'],
        whatsapp: [],
      }),
    ]);
    mine = await lookup(s.db, 'PRV-A-1');
    other = await lookup(s.db, 'PRV-B-1');
    admin = (await login(s, 'admin', 'admin123')).token;
    lead = (await login(s, 'lider', 'lider123')).token;
    agent = await SyncClient.login(s, 'agente1', 'agente123');
    const templates = (await call(s, 'GET', '/api/v1/messages/templates', { token: agent.token })).body as Array<{
      id: string;
      channel: string;
    }>;
    const now = new Date().toISOString();
    const pushed = await agent.push(
      agent.make(
        [
          'activity.log',
          {
            id: ids.call,
            accountId: mine.accountId,
            channel: 'call',
            contactPointId: mine.phoneId,
            disposition: 'rpc',
            note: 'Atendió la titular',
            startedAt: now,
          },
        ],
        // 03:00 on a Sunday in Bogotá, pushed later from offline: kept, with the server's verdict beside it
        [
          'activity.log',
          {
            id: ids.night,
            accountId: mine.accountId,
            channel: 'call',
            contactPointId: mine.phoneId,
            disposition: 'no_answer',
            startedAt: '2026-01-11T08:00:00.000Z',
          },
        ],
        ['note.add', { id: ids.note, accountId: mine.accountId, body: NOTE, createdAt: now }],
        ['note.add', { id: randomUUID(), accountId: other.accountId, body: OTHER_NOTE, createdAt: now }],
        [
          'promise.create',
          {
            id: ids.promise,
            accountId: mine.accountId,
            channel: 'call',
            createdAt: now,
            installments: [{ dueDate: inDays(7), amountMinor: 10_000_000 }],
          },
        ],
        [
          'message.send',
          {
            id: ids.message,
            accountId: mine.accountId,
            contactPointId: mine.phoneId,
            channel: 'sms',
            templateId: templates.find((t) => t.channel === 'sms')!.id,
            body: 'x',
            createdAt: now,
          },
        ],
        [
          'activity.log',
          {
            id: randomUUID(),
            accountId: other.accountId,
            channel: 'call',
            contactPointId: other.phoneId,
            disposition: 'rpc',
            startedAt: now,
          },
        ],
      ),
    );
    expect(pushed.status).toBe(200);
    expect(pushed.body.results.filter((r: { status: string }) => r.status !== 'applied')).toEqual([]);
    for (const [accountId, ref] of [
      [mine.accountId, 'PAGO-0001'],
      [other.accountId, 'PAGO-0002'],
    ] as const) {
      const pay = await call(s, 'POST', '/api/v1/payments', {
        token: lead,
        body: { accountId, reference: ref, amountMinor: 2_000_000, currency: 'COP', paidAt: now },
      });
      expect(pay.status, JSON.stringify(pay.body)).toBe(201);
    }
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it('the export holds every kind of record of the debtor, with the verdict stored at each attempt, and nothing of another debtor', async () => {
    const r = await exportOf(mine.debtorId);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const doc = DebtorExport.parse(r.body);
    expect(doc.debtor).toMatchObject({
      id: mine.debtorId,
      name: 'Rosa Privada Uno',
      nationalId: '90000001',
      externalId: 'PRV-A',
      erasedAt: null,
    });
    expect(doc.contactPoints.map((c) => c.value).sort()).toEqual(['+573009990001', 'rosa@example.com']);
    expect(doc.accounts.map((a) => a.externalRef).sort()).toEqual(['PRV-A-1', 'PRV-A-2']);
    expect(doc.assignments.filter((a) => a.to?.username === 'agente1')).toHaveLength(2);
    const attempts = new Map(doc.contactAttempts.map((t) => [t.id, t]));
    expect(attempts.get(ids.call)).toMatchObject({ disposition: 'rpc', note: 'Atendió la titular', agent: { username: 'agente1' } });
    // the verdict in the export is the one the server stored when it received the attempt
    const stored = await s.db.query<{ id: string; v: string[] | null; b: boolean }>(
      'SELECT id, compliance_violation AS v, compliance_blocked AS b FROM activities WHERE account_id = ANY($1::uuid[])',
      [doc.accounts.map((a) => a.id)],
    );
    expect(stored.length).toBe(doc.contactAttempts.length);
    for (const x of stored) expect(attempts.get(x.id)?.compliance).toMatchObject({ violations: x.v, blocked: x.b });
    expect(attempts.get(ids.night)!.compliance.violations).toEqual(expect.arrayContaining([expect.stringMatching(/^co\./)]));
    expect(doc.messages.map((m) => m.id)).toEqual([ids.message]);
    expect(doc.messages[0]!.address).toBe('+573009990001');
    expect(doc.notes).toEqual([
      expect.objectContaining({ id: ids.note, body: NOTE, author: expect.objectContaining({ username: 'agente1' }) }),
    ]);
    expect(doc.promises).toEqual([
      expect.objectContaining({ id: ids.promise, installments: [expect.objectContaining({ amountMinor: 10_000_000 })] }),
    ]);
    expect(doc.payments.map((p) => [p.reference, p.amountMinor])).toEqual([['PAGO-0001', 2_000_000]]);
    expect(r.body).not.toHaveProperty('debtor.version');

    const text = JSON.stringify(r.body);
    for (const foreign of [
      'Pedro Ajeno Dos',
      '90000002',
      'PRV-B',
      '+573009990002',
      'pedro@example.com',
      OTHER_NOTE,
      other.accountId,
      other.debtorId,
      'PAGO-0002',
    ]) {
      expect(text, foreign).not.toContain(foreign);
    }
    const ownAccounts = new Set(doc.accounts.map((a) => a.id));
    for (const list of [doc.assignments, doc.contactAttempts, doc.messages, doc.notes, doc.promises, doc.payments, doc.approvals]) {
      for (const x of list) expect(ownAccounts.has(x.accountId)).toBe(true);
    }
  });

  it('the HTML form is one printable file in Spanish with the same JSON document inside', async () => {
    const r = await fetch(`${s.url}/api/v1/privacy/debtors/${mine.debtorId}/export.html`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="datos-PRV-A-\d{4}-\d{2}-\d{2}\.html"$/);
    const html = await r.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('<h1>');
    expect(html).toContain('Rosa Privada Uno');
    expect(html).toContain('Dictamen de cumplimiento');
    expect(html).toMatch(/\d{2}\/\d{2}\/\d{4}/);
    expect(html).toContain('COP');
    expect(html).not.toContain('Pedro Ajeno Dos');
    const embedded = /<script type="application\/json" id="datos">([\s\S]*?)<\/script>/.exec(html)?.[1];
    const doc = DebtorExport.parse(JSON.parse(embedded!));
    expect(doc.debtor.id).toBe(mine.debtorId);
    expect(doc.notes[0]!.body).toBe(NOTE);
  });

  it('only administrators: agents and team leads get 403, another organisation 404, a bad id 400; every export is audited', async () => {
    expect((await exportOf(mine.debtorId, lead)).status).toBe(403);
    expect((await exportOf(mine.debtorId, agent.token)).status).toBe(403);
    expect((await erase(mine.debtorId, lead)).status).toBe(403);
    expect((await call(s, 'GET', '/api/v1/privacy/settings', { token: lead })).status).toBe(403);
    const [org] = await s.db.query<{ id: string }>(
      `INSERT INTO organizations (name, country, time_zone) VALUES ('Otra', 'MX', 'America/Mexico_City') RETURNING id`,
    );
    await addUser(s.db, org!.id, `admin-otra-${backend}`, { role: 'admin', password: 'clave-otra-123' });
    const stranger = (await login(s, `admin-otra-${backend}`, 'clave-otra-123')).token;
    expect((await exportOf(mine.debtorId, stranger)).body.error.code).toBe('not_found');
    expect((await erase(mine.debtorId, stranger)).status).toBe(404);
    const bad = await exportOf('not-a-uuid');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('id');
    const log = await audit(mine.debtorId);
    expect(log.filter((l) => l.action === 'export').map((l) => l.detail.format)).toEqual(['json', 'html']);
    const [{ id: adminId }] = (await s.db.query<{ id: string }>(`SELECT id FROM users WHERE username = 'admin'`)) as [{ id: string }];
    expect(log.every((l) => l.actorId === adminId)).toBe(true);
  });

  it('retention: default 5 years, set per organisation, never under 2 (400 naming the field); changes audited', async () => {
    expect((await call(s, 'GET', '/api/v1/privacy/settings', { token: admin })).body).toEqual({ retentionYears: 5 });
    const low = await call(s, 'PUT', '/api/v1/privacy/settings', { token: admin, body: { retentionYears: 1 } });
    expect(low.status).toBe(400);
    expect(low.body.error.field).toBe('retentionYears');
    expect((await call(s, 'PUT', '/api/v1/privacy/settings', { token: admin, body: { retentionYears: 3 } })).body).toEqual({
      retentionYears: 3,
    });
    expect((await call(s, 'GET', '/api/v1/privacy/settings', { token: admin })).body).toEqual({ retentionYears: 3 });
    const rows = await s.db.query<{ detail: unknown }>(`SELECT detail FROM privacy_audit WHERE action = 'settings'`);
    expect(rows.map((r) => r.detail)).toEqual([{ before: { retentionYears: 5 }, after: { retentionYears: 3 } }]);
  });

  it('erasure is refused while an account is open, then while the retention period runs (409 naming why), both audited', async () => {
    const open = await erase(mine.debtorId);
    expect(open.status).toBe(409);
    expect(open.body.error.code).toBe('accounts_open');
    expect(open.body.error.message).toContain('PRV-A-1 is active');
    await s.db.query(`UPDATE accounts SET status = 'closed' WHERE debtor_id = $1`, [mine.debtorId]);
    // closed_at is kept by a trigger: set on closing, cleared on reopening, set again on closing again
    const closedAt = async () =>
      (await s.db.query<{ c: Date | null }>('SELECT closed_at AS c FROM accounts WHERE id = $1', [mine.accountId]))[0]!.c;
    expect(await closedAt()).not.toBeNull();
    await s.db.query(`UPDATE accounts SET status = 'dispute' WHERE id = $1`, [mine.accountId]);
    expect(await closedAt()).toBeNull();
    await s.db.query(`UPDATE accounts SET status = 'closed' WHERE id = $1`, [mine.accountId]);
    expect(await closedAt()).not.toBeNull();
    const early = await erase(mine.debtorId);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('retention_not_elapsed');
    expect(early.body.error.message).toMatch(/keeps records 3 years .* erasable from \d{4}-\d{2}-\d{2}/);
    expect(new Date(early.body.error.erasableFrom).getUTCFullYear()).toBe(new Date().getUTCFullYear() + 3);
    // nothing was changed
    expect((await exportOf(mine.debtorId)).body.debtor.name).toBe('Rosa Privada Uno');
    expect((await audit(mine.debtorId)).filter((l) => l.action === 'erase_refused').map((l) => l.detail.code)).toEqual([
      'accounts_open',
      'retention_not_elapsed',
    ]);
  });

  it('past retention the debtor is anonymised: report totals unchanged, the audit written, workstations updated at their next pull', async () => {
    // the agent's workstation holds the debtor
    let page = await agent.pull(null);
    while (page.body.hasMore) page = await agent.pull(page.body.cursor);
    const cursor = page.body.cursor as string;
    const before = await call(s, 'GET', '/api/v1/reports/activity?period=30d', { token: admin });
    expect(before.status).toBe(200);
    const sums = () =>
      s.db.query(
        `SELECT (SELECT sum(amount_minor)::bigint FROM payments) AS paid, (SELECT sum(balance_minor)::bigint FROM accounts) AS balance,
              (SELECT count(*)::int FROM activities) AS attempts, (SELECT count(*)::int FROM notes) AS notes,
              (SELECT count(*)::int FROM outbound_messages) AS messages, (SELECT sum(amount_minor)::bigint FROM promise_installments) AS promised`,
      );
    const totals = await sums();

    // closed 4 years ago: past the organisation's 3 years
    await s.db.query(`UPDATE accounts SET closed_at = now() - interval '4 years' WHERE debtor_id = $1`, [mine.debtorId]);
    const done = await erase(mine.debtorId);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.anonymised).toMatchObject({ debtors: 1, contactPoints: 2, accounts: 2, notes: 1, messages: 1 });

    const after = await call(s, 'GET', '/api/v1/reports/activity?period=30d', { token: admin });
    expect(after.body).toEqual(before.body);
    expect(await sums()).toEqual(totals);

    const doc = DebtorExport.parse((await exportOf(mine.debtorId)).body);
    const text = JSON.stringify(doc);
    for (const personal of ['Rosa Privada Uno', '90000001', '+573009990001', 'rosa@example.com', NOTE, 'Atendió la titular', 'PRV-A']) {
      expect(text, personal).not.toContain(personal);
    }
    expect(doc.debtor).toMatchObject({ name: 'Titular anonimizado', nationalId: 'ANONIMIZADO', erasedAt: expect.any(String) });
    expect(doc.messages[0]).toMatchObject({ body: '[anonimizado]', address: '[anonimizado]' });
    expect(doc.payments.map((p) => p.amountMinor)).toEqual([2_000_000]);
    expect(doc.contactAttempts.find((t) => t.id === ids.night)!.compliance.violations).not.toBeNull();
    expect(doc.privacyLog.map((l) => l.action)).toContain('erase');
    // the other debtor is untouched
    expect((await exportOf(other.debtorId)).body.debtor.name).toBe('Pedro Ajeno Dos');

    const log = await audit(mine.debtorId);
    expect(log.filter((l) => l.action === 'erase')).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({ reason: 'Solicitud del titular del 01/12/2026', anonymised: done.body.anonymised }),
      }),
    ]);
    await expect(s.db.query('DELETE FROM privacy_audit')).rejects.toThrow(/append-only/);
    expect((await erase(mine.debtorId)).body.error.code).toBe('already_erased');

    // the workstation's next pull overwrites its copy with the anonymised one
    const next = await agent.pull(cursor);
    expect(next.status).toBe(200);
    const patch = next.body.patch;
    expect(patch.debtors).toEqual([expect.objectContaining({ id: mine.debtorId, name: 'Titular anonimizado', nationalId: 'ANONIMIZADO' })]);
    expect(patch.contactPoints.map((c: { value: string }) => c.value)).toHaveLength(2);
    expect(patch.notes).toEqual([expect.objectContaining({ id: ids.note, body: '[anonimizado]' })]);
    const pulled = JSON.stringify(next.body);
    for (const personal of ['Rosa Privada Uno', '90000001', '+573009990001', 'rosa@example.com', NOTE, 'Atendió la titular']) {
      expect(pulled, personal).not.toContain(personal);
    }
  });
});
