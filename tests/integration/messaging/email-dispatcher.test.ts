import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { smtpEmail } from '../../../src/server/messaging/providers/smtp';
import { call, login } from '../../helpers/server';
import { importRows, lookup, rawClient, row, startComplianceServer, type ComplianceServer } from '../compliance/helpers';
import { readMessage, startLocalRelay, type LocalRelay } from './smtp-relay';

const AT = new Date('2026-11-25T15:00:00Z'); // Wednesday 10:00 Bogotá

let s: ComplianceServer;
let relay: LocalRelay;
let token: string;
let client: ReturnType<typeof rawClient>;
let subjectTemplate: string;

beforeAll(async () => {
  relay = await startLocalRelay();
  s = await startComplianceServer(
    {
      email: smtpEmail({
        url: relay.url,
        from: 'Área de cartera <cartera@acme.example>',
        retry: { attempts: 3, baseDelayMs: 5, timeoutMs: 2000 },
      }),
    },
    AT,
  );
  await importRows(
    s,
    ['A', 'B', 'C'].map((k, i) =>
      row({
        debtorExternalId: `EML-${k}`,
        name: `Deudora ${k} Núñez`,
        nationalId: `9100000${i}`,
        accountRef: `EML-${k}-1`,
        phones: [`+57311000000${i}`],
        whatsapp: [],
        emails: [`deudora${i}@example.com`],
        assignedAgent: 'agente1',
      }),
    ),
  );
  token = (await login(s, 'agente1', 'agente123')).token;
  client = rawClient(s, token);
  const templates = (await call(s, 'GET', '/api/v1/messages/templates', { token })).body as Array<{ id: string; channel: string }>;
  const stock = templates.find((t) => t.channel === 'email')!.id;
  // a subject with placeholders, and a line break a template editor could let through
  const [t] = await s.db.query<{ id: string }>(
    `INSERT INTO message_templates (org_id, name, channel, subject, body)
     SELECT org_id, 'Saldo (correo)', 'email', 'Saldo de {{nombre}}:' || chr(10) || '{{monto}} ({{dias_mora}} días de mora)',
       'Hola {{nombre}}, pague aquí: {{link}}' FROM message_templates WHERE id = $1 RETURNING id`,
    [stock],
  );
  subjectTemplate = t!.id;
}, 60_000);

afterAll(async () => {
  await s?.close();
  await relay?.close();
});

beforeEach(() => relay.reset());

async function sendEmail(ref: string, id = randomUUID()) {
  const t = await lookup(s.db, ref);
  const r = await client.push('message.send', {
    id,
    accountId: t.accountId,
    contactPointId: t.emailId,
    channel: 'email',
    templateId: subjectTemplate,
    body: 'x',
    createdAt: AT.toISOString(),
  });
  expect(r.status).toBe('applied');
  return { id, accountId: t.accountId };
}

const stored = async (id: string) =>
  (
    await s.db.query<{ status: string; error: string | null; subject: string | null; body: string; provider_message_id: string | null }>(
      'SELECT status, error, subject, body, provider_message_id FROM outbound_messages WHERE id = $1',
      [id],
    )
  )[0]!;

describe('e-mail through the dispatcher', () => {
  it('an e-mail accepted by a push reaches the relay once, with the rendered subject and body', async () => {
    const { id, accountId } = await sendEmail('EML-A-1');
    const queued = await stored(id); // the push kicked the dispatcher: it may be on its way already
    expect(queued.subject).toMatch(/^Saldo de Deudora A Núñez: \$ [\d.]+ \(\d+ días de mora\)$/);
    expect(queued.body).toMatch(/^Hola Deudora A Núñez, pague aquí: http:\/\/[^/]+\/p\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);

    await s.dispatcher.runOnce(); // waits for the run the push started
    expect(relay.received).toHaveLength(1);
    const got = relay.received[0]!;
    expect(got.from).toBe('cartera@acme.example');
    expect(got.to).toEqual(['deudora0@example.com']);
    const { headers, text } = readMessage(got.raw);
    expect(headers.subject).toBe(queued.subject);
    expect(headers['message-id']).toBe(`<${id}@acme.example>`);
    expect(text).toBe(queued.body);
    expect(await stored(id)).toMatchObject({
      status: 'sent',
      error: null,
      provider_message_id: expect.stringMatching(/^4F2A[0-9A-F]{4}$/),
    });

    // nothing left to send; a replayed push of the same message changes nothing
    await s.dispatcher.runOnce();
    await sendEmail('EML-A-1', id);
    await s.dispatcher.runOnce();
    expect(relay.received).toHaveLength(1);

    const listed = await call(s, 'GET', `/api/v1/accounts/${accountId}/messages`, { token });
    expect(listed.status).toBe(200);
    expect((listed.body as Array<{ id: string; subject: string | null }>).find((m) => m.id === id)?.subject).toBe(queued.subject);
  });

  it('a mailbox the relay refuses (550) fails the message with the SMTP code, and it is not tried again', async () => {
    relay.refuseNext(1, 'rcpt', 550);
    const { id } = await sendEmail('EML-B-1');
    await s.dispatcher.runOnce();
    expect(await stored(id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^smtp\.550: .*mailbox unavailable/) });
    await s.dispatcher.runOnce();
    expect(relay.connections).toBe(1);
    expect(relay.received).toHaveLength(0);
  });

  it('a busy relay (451) is retried within the send and the message goes out once', async () => {
    relay.refuseNext(1, 'data', 451);
    const { id } = await sendEmail('EML-C-1');
    await s.dispatcher.runOnce();
    expect(await stored(id)).toMatchObject({ status: 'sent' });
    expect(relay.connections).toBe(2);
    expect(relay.received).toHaveLength(1);
  });

  it('the database refuses an e-mail template without a subject', async () => {
    const [{ org_id: orgId }] = (await s.db.query<{ org_id: string }>('SELECT org_id FROM message_templates WHERE id = $1', [
      subjectTemplate,
    ])) as [{ org_id: string }];
    for (const subject of [null, '  ']) {
      await expect(
        s.db.query(`INSERT INTO message_templates (org_id, name, channel, subject, body) VALUES ($1, $2, 'email', $3, 'x')`, [
          orgId,
          `Sin asunto ${String(subject)}`,
          subject,
        ]),
      ).rejects.toThrow(/message_templates_email_subject/);
    }
    // SMS templates have no subject
    await s.db.query(
      `INSERT INTO message_templates (org_id, name, channel, subject, body) VALUES ($1, 'SMS sin asunto', 'sms', NULL, 'x')`,
      [orgId],
    );
  });
});
