import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageTemplate } from '../../../src/shared/api/contract';
import { whatsappCloud } from '../../../src/server/messaging/providers/whatsapp';
import { startFakeWhatsApp, type FakeProvider } from '../../helpers/fake-providers';
import { WorkstationError } from '../../../src/shared/api/contract';
import { call, login, startTestServer } from '../../helpers/server';
import { openWorkstation } from '../sync/helpers';
import { importRows, rawClient, row, startComplianceServer, type ComplianceServer } from '../compliance/helpers';

// Wednesday 25 Nov 2026: 10:00 in Bogotá, 09:00 in Mexico City
const AT = new Date('2026-11-25T15:00:00Z');
const WA = { accessToken: 'EAAG-templates', phoneNumberId: '1098765432' };

let s: ComplianceServer;
let meta: FakeProvider;
let token: string;
let orgId: string;
let templates: MessageTemplate[];
let unapprovedId: string;

const DEBTORS = {
  MX: row({
    debtorExternalId: 'WA-MX',
    name: 'Mariana Hernández',
    nationalId: 'HEMM850101AB1',
    country: 'MX',
    timeZone: 'America/Mexico_City',
    accountRef: 'WA-MX-1',
    currency: 'MXN',
    principalMinor: 2_000_000,
    balanceMinor: 1_850_000,
    installmentAmountMinor: 200_000,
    dueDate: '2026-10-15',
    phones: [],
    emails: [],
    whatsapp: ['+525512345678'],
  }),
  CO: row({
    debtorExternalId: 'WA-CO',
    name: 'Ana Gómez',
    nationalId: '52123456',
    accountRef: 'WA-CO-1',
    currency: 'COP',
    balanceMinor: 1_200_000,
    dueDate: '2026-10-01',
    phones: [],
    emails: [],
    whatsapp: ['+573001112233'],
  }),
  CO2: row({
    debtorExternalId: 'WA-CO2',
    name: 'Beto Ruiz',
    nationalId: '79111222',
    accountRef: 'WA-CO2-1',
    currency: 'COP',
    phones: [],
    emails: [],
    whatsapp: ['+573105556677'],
  }),
  CO3: row({
    debtorExternalId: 'WA-CO3',
    name: 'Carla Díaz',
    nationalId: '79333444',
    accountRef: 'WA-CO3-1',
    currency: 'COP',
    phones: [],
    emails: [],
    whatsapp: ['+573209998877'],
  }),
};

beforeAll(async () => {
  // the demo organisation's WhatsApp Business account: recordatorio_pago in es and es_MX,
  // acuerdo_pago only in es_MX (so a Colombian debtor's send meets 132001)
  meta = await startFakeWhatsApp(WA, {
    templates: [
      { name: 'recordatorio_pago', language: 'es', bodyParams: 4 },
      { name: 'recordatorio_pago', language: 'es_MX', bodyParams: 4 },
      { name: 'acuerdo_pago', language: 'es_MX', bodyParams: 4 },
    ],
  });
  s = await startComplianceServer(
    { whatsapp: whatsappCloud({ baseUrl: meta.url, version: 'v21.0', ...WA, retry: { attempts: 2, baseDelayMs: 5, timeoutMs: 2000 } }) },
    AT,
  );
  await importRows(s, Object.values(DEBTORS));
  token = (await login(s, 'agente1', 'agente123')).token;
  orgId = (await s.db.query<{ id: string }>('SELECT id FROM organizations LIMIT 1'))[0]!.id;
  unapprovedId = await addTemplate('Texto libre (WhatsApp)', null);
  templates = (await call(s, 'GET', '/api/v1/messages/templates', { token })).body as MessageTemplate[];
}, 60_000);

afterAll(async () => {
  await s?.close();
  await meta?.close();
});

async function whatsappOf(ref: string) {
  const [r] = await s.db.query<{ accountId: string; cpId: string }>(
    `SELECT a.id AS "accountId", c.id AS "cpId" FROM accounts a JOIN contact_points c ON c.debtor_id = a.debtor_id AND c.kind = 'whatsapp'
     WHERE a.external_ref = $1`,
    [ref],
  );
  return r!;
}

async function push(ref: string, templateId: string) {
  const t = await whatsappOf(ref);
  const id = randomUUID();
  const result = await rawClient(s, token).push('message.send', {
    id,
    accountId: t.accountId,
    contactPointId: t.cpId,
    channel: 'whatsapp',
    templateId,
    body: 'x',
    createdAt: AT.toISOString(),
  });
  return { id, result };
}

const message = async (id: string) =>
  (
    await s.db.query<{ status: string; body: string; error: string | null; providerMessageId: string | null }>(
      'SELECT status, body, error, provider_message_id AS "providerMessageId" FROM outbound_messages WHERE id = $1',
      [id],
    )
  )[0];

const templateNamed = (name: string) => templates.find((t) => t.name === name)!;

async function addTemplate(name: string, wa: { name: string; params: string[] } | null): Promise<string> {
  const [r] = await s.db.query<{ id: string }>(
    `INSERT INTO message_templates (org_id, name, channel, subject, body, wa_template_name, wa_language, wa_params)
     VALUES ($1, $2, 'whatsapp', NULL, 'Hola {{nombre}}, su saldo es {{monto}}', $3, $4, $5::text[]) RETURNING id`,
    [orgId, name, wa?.name ?? null, wa ? 'es' : null, wa?.params ?? []],
  );
  return r!.id;
}

describe('WhatsApp approved templates', () => {
  it('the demo templates carry their Meta name, language per debtor country and parameter order', () => {
    expect(templateNamed('Recordatorio de pago (WhatsApp)').whatsapp).toEqual({
      name: 'recordatorio_pago',
      language: 'es',
      languageByCountry: { MX: 'es_MX' },
      params: ['nombre', 'monto', 'fecha_vencimiento', 'link'],
    });
    expect(templateNamed('Acuerdo de pago (WhatsApp)').whatsapp).toMatchObject({
      name: 'acuerdo_pago',
      params: ['nombre', 'monto', 'dias_mora', 'link'],
    });
    expect(templates.filter((t) => t.channel !== 'whatsapp').every((t) => t.whatsapp === null)).toBe(true);
  });

  it('a Mexican debtor gets the es_MX template, its parameters formatted exactly as the preview shows them', async () => {
    meta.requests.length = 0;
    const { id, result } = await push('WA-MX-1', templateNamed('Recordatorio de pago (WhatsApp)').id);
    expect(result.status).toBe('applied');
    await s.dispatcher.runOnce();
    const sent = await message(id);
    expect(sent).toMatchObject({ status: 'sent', error: null, providerMessageId: expect.stringMatching(/^wamid\./) });
    expect(meta.requests).toHaveLength(1);
    // {{link}} is the debtor's signed self-service link (src/server/portal/links.ts)
    const link = JSON.parse(meta.requests[0]!.body).template.components[0].parameters[3].text as string;
    expect(link).toMatch(/^http:\/\/[^/]+\/p\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    const parameters = ['Mariana Hernández', '$18,500.00', '15/10/2026', link];
    expect(JSON.parse(meta.requests[0]!.body)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '525512345678',
      type: 'template',
      template: {
        name: 'recordatorio_pago',
        language: { code: 'es_MX' },
        components: [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }],
      },
      biz_opaque_callback_data: id,
    });
    // the text the agent previewed (and the activity records) holds the same values in the same places
    expect(sent!.body).toBe(
      `Hola ${parameters[0]}, le recordamos que su pago de ${parameters[1]} vence el ${parameters[2]}. Puede pagar en línea aquí: ${parameters[3]}`,
    );
  });

  it('a Colombian debtor gets the neutral es template with pesos without cents', async () => {
    meta.requests.length = 0;
    const { id } = await push('WA-CO-1', templateNamed('Recordatorio de pago (WhatsApp)').id);
    await s.dispatcher.runOnce();
    expect(await message(id)).toMatchObject({ status: 'sent' });
    const template = JSON.parse(meta.requests[0]!.body).template;
    expect(template.language).toEqual({ code: 'es' });
    // es-CO separates the sign with a no-break space, as on the agent's screen
    expect(template.components[0].parameters.map((p: { text: string }) => p.text)).toEqual([
      'Ana Gómez',
      '$\u00a01.200.000',
      '01/10/2026',
      expect.stringMatching(/\/p\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/),
    ]);
  });

  it("a template Meta has not approved in the debtor's language fails the message with 132001, sent once", async () => {
    meta.requests.length = 0;
    const { id } = await push('WA-CO2-1', templateNamed('Acuerdo de pago (WhatsApp)').id);
    await s.dispatcher.runOnce();
    const failed = await message(id);
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toMatch(/^whatsapp\.132001: .*acuerdo_pago\) does not exist in es/);
    await s.dispatcher.runOnce();
    expect(meta.requests).toHaveLength(1);
  });

  it('a WhatsApp template without a Meta name is refused at push, naming the template; nothing is queued or sent', async () => {
    meta.requests.length = 0;
    const { id, result } = await push('WA-CO3-1', unapprovedId);
    expect(result).toMatchObject({ status: 'rejected', error: { code: 'whatsapp_template_unapproved', field: 'templateId' } });
    expect(result.error!.message).toMatch(/Texto libre \(WhatsApp\).*no Meta-approved/);
    expect(await message(id)).toBeUndefined();
    expect(await s.db.query('SELECT 1 FROM activities WHERE id = $1', [id])).toHaveLength(0);
    await s.dispatcher.runOnce();
    expect(meta.requests).toHaveLength(0);
  });

  it('the workstation refuses it too, before queueing anything, with the same code', async () => {
    const { ws, cleanup } = await openWorkstation(s.url, undefined, { now: () => AT });
    try {
      await ws.handlers.login({ username: 'agente1', password: 'agente123' });
      await ws.handlers.syncNow(undefined);
      const t = await whatsappOf('WA-CO3-1');
      const previews = await ws.handlers.listMessageTemplates({ accountId: t.accountId });
      expect(previews.find((p) => p.id === unapprovedId)).toMatchObject({
        whatsapp: null,
        preview: expect.stringMatching(/^Hola Carla Díaz/),
      });
      const refused = await ws.handlers
        .sendMessage({ accountId: t.accountId, contactPointId: t.cpId, channel: 'whatsapp', templateId: unapprovedId })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(WorkstationError);
      expect(refused).toMatchObject({ code: 'server.whatsapp_template_unapproved', field: 'templateId' });
      expect((await ws.handlers.getSyncState(undefined)).pending).toBe(0);
      // an approved one goes through the same path
      const approved = templateNamed('Recordatorio de pago (WhatsApp)');
      await expect(
        ws.handlers.sendMessage({ accountId: t.accountId, contactPointId: t.cpId, channel: 'whatsapp', templateId: approved.id }),
      ).resolves.toMatchObject({ messageId: expect.any(String) });
    } finally {
      await ws.close();
      cleanup();
    }
  });

  it('a template whose Meta parameters leave out a placeholder of its body is refused at push', async () => {
    const templateId = await addTemplate('Saldo sin monto (WhatsApp)', { name: 'saldo', params: ['nombre'] });
    const { id, result } = await push('WA-CO3-1', templateId);
    expect(result).toMatchObject({ status: 'rejected', error: { code: 'whatsapp_template_mismatch', field: 'templateId' } });
    expect(result.error!.message).toMatch(/\{\{monto\}\} is in the body but not in the Meta parameters/);
    expect(await message(id)).toBeUndefined();
  });

  it('the database refuses a Meta template name on a non-WhatsApp template', async () => {
    await expect(
      s.db.query(
        `INSERT INTO message_templates (org_id, name, channel, body, wa_template_name, wa_language) VALUES ($1, 'SMS con plantilla', 'sms', 'x', 'recordatorio_pago', 'es')`,
        [orgId],
      ),
    ).rejects.toThrow(/message_templates_whatsapp_approved/);
  });
});

describe('WhatsApp approved templates on PGlite', () => {
  it('the migration and the demo seed give the same templates (jsonb languages, text[] parameters)', async () => {
    const lite = await startTestServer({ backend: 'pglite', seed: { accounts: 5 } });
    try {
      const { token: t } = await login(lite, 'agente1', 'agente123');
      const list = (await call(lite, 'GET', '/api/v1/messages/templates', { token: t })).body as MessageTemplate[];
      expect(list.find((x) => x.name === 'Recordatorio de pago (WhatsApp)')?.whatsapp).toEqual({
        name: 'recordatorio_pago',
        language: 'es',
        languageByCountry: { MX: 'es_MX' },
        params: ['nombre', 'monto', 'fecha_vencimiento', 'link'],
      });
      await expect(
        lite.db.query(`UPDATE message_templates SET wa_template_name = 'Recordatorio Pago' WHERE name = 'Recordatorio de pago (WhatsApp)'`),
      ).rejects.toThrow(/wa_template_name_check/);
    } finally {
      await lite.close();
    }
  });
});
