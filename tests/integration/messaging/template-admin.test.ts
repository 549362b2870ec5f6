import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageTemplate, OrgMessageTemplate, TemplateAuditEntry } from '../../../src/shared/api/contract';
import { hashPassword } from '../../../src/server/auth/password';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';
import { rawClient } from '../compliance/helpers';

const PATH = '/api/v1/org/message-templates';

const sms = (over: Record<string, unknown> = {}) => ({
  name: `Aviso ${randomUUID().slice(0, 8)} (SMS)`,
  channel: 'sms',
  subject: null,
  body: 'Hola {{nombre}}, su saldo es {{monto}}. Pague en {{link}}',
  ...over,
});

describe.each(BACKENDS)('template administration on %s', (backend) => {
  let s: TestServer;
  let admin: string;
  let lead: string;
  let agent: string;
  let otherAdmin: string;

  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 8 } });
    admin = (await login(s, 'admin', 'admin123')).token;
    lead = (await login(s, 'lider', 'lider123')).token;
    agent = (await login(s, 'agente1', 'agente123')).token;
    // a second organisation with its own administrator
    const [org] = await s.db.query<{ id: string }>(
      `INSERT INTO organizations (name, country, time_zone) VALUES ('Otra cartera', 'MX', 'America/Mexico_City') RETURNING id`,
    );
    await s.db.query(
      `INSERT INTO users (org_id, username, display_name, role, password_hash) VALUES ($1, 'admin_otra', 'Admin otra', 'admin', $2)`,
      [org!.id, await hashPassword('otra12345')],
    );
    otherAdmin = (await login(s, 'admin_otra', 'otra12345')).token;
  }, 60_000);

  afterAll(async () => {
    await s?.close();
  });

  const agentTemplates = async () => (await call<MessageTemplate[]>(s, 'GET', '/api/v1/messages/templates', { token: agent })).body;
  const audit = async () => (await call<TemplateAuditEntry[]>(s, 'GET', `${PATH}/audit`, { token: admin })).body;

  it('only administrators manage templates: team leads and agents get 403', async () => {
    const created = await call<OrgMessageTemplate>(s, 'POST', PATH, { token: admin, body: sms() });
    expect(created.status).toBe(201);
    for (const token of [lead, agent]) {
      expect((await call(s, 'GET', PATH, { token })).status).toBe(403);
      expect((await call(s, 'POST', PATH, { token, body: sms() })).status).toBe(403);
      expect(
        (await call(s, 'PUT', `${PATH}/${created.body.id}`, { token, body: sms({ name: created.body.name, body: 'Hola {{nombre}}' }) }))
          .status,
      ).toBe(403);
      expect((await call(s, 'GET', `${PATH}/audit`, { token })).status).toBe(403);
    }
    expect((await call(s, 'GET', PATH)).status).toBe(401);
    const unchanged = (await call<OrgMessageTemplate[]>(s, 'GET', PATH, { token: admin })).body.find((t) => t.id === created.body.id)!;
    expect(unchanged.body).toBe(created.body.body);
    expect(unchanged.revision).toBe(0);
  });

  it('creates a template, audited with who and after; agents are offered it', async () => {
    const body = sms();
    const r = await call<OrgMessageTemplate>(s, 'POST', PATH, { token: admin, body });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name: body.name,
      channel: 'sms',
      subject: null,
      body: body.body,
      active: true,
      revision: 0,
      updatedBy: 'admin',
      whatsapp: null,
    });
    const [entry] = await audit();
    expect(entry).toMatchObject({
      templateId: r.body.id,
      username: 'admin',
      action: 'create',
      before: null,
      after: { name: body.name, body: body.body },
    });
    expect((await agentTemplates()).map((t) => t.id)).toContain(r.body.id);
  });

  it.each([
    ['unknown placeholder in the body', sms({ body: 'Hola {{nombre}} {{apellido}}' }), 'body', '{{apellido}}'],
    ['malformed placeholder in the body', sms({ body: 'Hola {{ Nombre }}' }), 'body', '{{Nombre}}'],
    [
      'unknown placeholder in the subject',
      { name: 'Correo X', channel: 'email', subject: 'Saldo de {{cliente}}', body: 'Hola {{nombre}}' },
      'subject',
      '{{cliente}}',
    ],
    [
      'e-mail without a subject',
      { name: 'Correo Y', channel: 'email', subject: '  ', body: 'Hola {{nombre}}' },
      'subject',
      'needs a subject',
    ],
    ['subject on an SMS', sms({ subject: 'Hola' }), 'subject', 'only e-mail'],
    [
      'Meta parameters missing a placeholder of the body',
      {
        name: 'WA Z',
        channel: 'whatsapp',
        subject: null,
        body: 'Hola {{nombre}}, debe {{monto}}',
        whatsapp: { name: 'recordatorio', language: 'es', params: ['nombre'] },
      },
      'whatsapp.params',
      '{{monto}} is in the body but not in the Meta parameters',
    ],
    [
      'Meta parameter not in the body',
      {
        name: 'WA W',
        channel: 'whatsapp',
        subject: null,
        body: 'Hola {{nombre}}',
        whatsapp: { name: 'recordatorio', language: 'es', params: ['nombre', 'link'] },
      },
      'whatsapp.params',
      '{{link}} is a Meta parameter but not in the body',
    ],
    [
      'bad Meta language',
      {
        name: 'WA V',
        channel: 'whatsapp',
        subject: null,
        body: 'Hola {{nombre}}',
        whatsapp: { name: 'recordatorio', language: 'es-MX', params: ['nombre'] },
      },
      'whatsapp.language',
      'es_MX',
    ],
    ['Meta template on an SMS', sms({ whatsapp: { name: 'x', language: 'es', params: [] } }), 'whatsapp', 'only WhatsApp'],
    ['empty name', sms({ name: ' ' }), 'name', 'name'],
  ])('refuses %s with a 400 naming the field', async (_what, body, field, text) => {
    const before = (await audit()).length;
    const r = await call(s, 'POST', PATH, { token: admin, body });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe(field);
    expect(r.body.error.message).toContain(text);
    expect((await audit()).length).toBe(before);
  });

  it('a duplicate name is a 409 naming the field', async () => {
    const first = (await call<OrgMessageTemplate>(s, 'POST', PATH, { token: admin, body: sms() })).body;
    const r = await call(s, 'POST', PATH, { token: admin, body: sms({ name: first.name }) });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'template_name_taken', field: 'name' });
  });

  it('updates a WhatsApp template with its Meta approval; audit keeps before and after; a stale revision is refused', async () => {
    const created = (
      await call<OrgMessageTemplate>(s, 'POST', PATH, {
        token: admin,
        body: {
          name: 'Recordatorio WA admin',
          channel: 'whatsapp',
          subject: null,
          body: 'Hola {{nombre}}, su pago de {{monto}} vence el {{fecha_vencimiento}}',
        },
      })
    ).body;
    expect(created.whatsapp).toBeNull();
    const approved = {
      name: created.name,
      channel: 'whatsapp',
      subject: null,
      body: created.body,
      active: true,
      revision: 0,
      whatsapp: {
        name: 'recordatorio_admin',
        language: 'es',
        languageByCountry: { MX: 'es_MX' },
        params: ['nombre', 'monto', 'fecha_vencimiento'],
      },
    };
    const r = await call<OrgMessageTemplate>(s, 'PUT', `${PATH}/${created.id}`, { token: admin, body: approved });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ revision: 1, whatsapp: approved.whatsapp });
    const [entry] = await audit();
    expect(entry).toMatchObject({
      templateId: created.id,
      action: 'update',
      username: 'admin',
      before: { whatsapp: null, revision: 0 },
      after: { whatsapp: approved.whatsapp, revision: 1 },
    });
    const [row] = await s.db.query<{ waName: string; waParams: string[] }>(
      'SELECT wa_template_name AS "waName", wa_params AS "waParams" FROM message_templates WHERE id = $1',
      [created.id],
    );
    expect(row).toEqual({ waName: 'recordatorio_admin', waParams: ['nombre', 'monto', 'fecha_vencimiento'] });

    // another admin's edit started from revision 0: refused, nothing overwritten
    const stale = await call(s, 'PUT', `${PATH}/${created.id}`, {
      token: admin,
      body: { ...approved, body: 'Hola {{nombre}}', whatsapp: null },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'template_changed', field: 'revision' });
    expect((await agentTemplates()).find((t) => t.id === created.id)?.whatsapp?.name).toBe('recordatorio_admin');
  });

  it('the audit is append-only', async () => {
    await call(s, 'POST', PATH, { token: admin, body: sms() });
    await expect(s.db.query('UPDATE message_template_audit SET after = $1::jsonb', ['{}'])).rejects.toThrow(/append-only/);
    await expect(s.db.query('DELETE FROM message_template_audit')).rejects.toThrow(/append-only/);
  });

  it('a deactivated template is kept, no longer offered to agents and refused at push', async () => {
    const created = (await call<OrgMessageTemplate>(s, 'POST', PATH, { token: admin, body: sms() })).body;
    const [target] = await s.db.query<{ accountId: string; cpId: string }>(
      `SELECT a.id AS "accountId", c.id AS "cpId" FROM accounts a JOIN users u ON u.id = a.assigned_agent_id
       JOIN contact_points c ON c.debtor_id = a.debtor_id AND c.kind = 'phone'
       WHERE u.username = 'agente1' ORDER BY a.id LIMIT 1`,
    );
    expect(target).toBeDefined();
    const r = await call<OrgMessageTemplate>(s, 'PUT', `${PATH}/${created.id}`, {
      token: admin,
      body: { ...sms({ name: created.name, body: created.body }), active: false },
    });
    expect(r.status).toBe(200);
    expect(r.body.active).toBe(false);
    expect((await agentTemplates()).map((t) => t.id)).not.toContain(created.id);
    expect((await call<OrgMessageTemplate[]>(s, 'GET', PATH, { token: admin })).body.find((t) => t.id === created.id)?.active).toBe(false);
    expect((await audit())[0]).toMatchObject({ templateId: created.id, before: { active: true }, after: { active: false } });

    const id = randomUUID();
    const result = await rawClient(s, agent).push('message.send', {
      id,
      accountId: target!.accountId,
      contactPointId: target!.cpId,
      channel: 'sms',
      templateId: created.id,
      body: 'x',
      createdAt: new Date().toISOString(),
    });
    expect(result.status).toBe('rejected');
    expect(result.error).toMatchObject({ code: 'template_inactive' });
    expect(await s.db.query('SELECT 1 FROM outbound_messages WHERE id = $1', [id])).toHaveLength(0);
  });

  it("another organisation's administrator neither sees nor changes these templates", async () => {
    const mine = (await call<OrgMessageTemplate>(s, 'POST', PATH, { token: admin, body: sms() })).body;
    const theirs = (await call<OrgMessageTemplate[]>(s, 'GET', PATH, { token: otherAdmin })).body;
    expect(theirs.length).toBeGreaterThan(0); // their own defaults
    expect(theirs.map((t) => t.id)).not.toContain(mine.id);
    const r = await call(s, 'PUT', `${PATH}/${mine.id}`, { token: otherAdmin, body: sms({ name: mine.name, body: 'Hola {{nombre}}' }) });
    expect(r.status).toBe(404);
    expect(
      (await call<TemplateAuditEntry[]>(s, 'GET', `${PATH}/audit`, { token: otherAdmin })).body.map((e) => e.templateId),
    ).not.toContain(mine.id);
    const still = (await call<OrgMessageTemplate[]>(s, 'GET', PATH, { token: admin })).body.find((t) => t.id === mine.id)!;
    expect(still.body).toBe(mine.body);
  });

  it('deactivating every template does not bring the defaults back', async () => {
    const all = (await call<OrgMessageTemplate[]>(s, 'GET', PATH, { token: admin })).body;
    for (const t of all.filter((x) => x.active)) {
      const r = await call(s, 'PUT', `${PATH}/${t.id}`, {
        token: admin,
        body: {
          name: t.name,
          channel: t.channel,
          subject: t.subject,
          body: t.body,
          whatsapp: t.whatsapp,
          active: false,
          revision: t.revision,
        },
      });
      expect(r.status).toBe(200);
    }
    expect(await agentTemplates()).toEqual([]);
    expect((await call<OrgMessageTemplate[]>(s, 'GET', PATH, { token: admin })).body).toHaveLength(all.length);
  });
});
