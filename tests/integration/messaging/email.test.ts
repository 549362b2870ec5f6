import { randomUUID } from 'node:crypto';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providersFromEnv } from '../../../src/server/messaging/config';
import { smtpEmail } from '../../../src/server/messaging/providers/smtp';
import { RELAY_PASS, RELAY_USER, readMessage, startLocalRelay, type LocalRelay } from './smtp-relay';

const FAST = { attempts: 3, baseDelayMs: 5, timeoutMs: 2000 };
const FROM = 'Área de cartera <cobranza@acme.example>';
const BODY =
  'Estimado(a) Ana Gómez:\n\nSu saldo pendiente es $ 1.200.000 (COP), vencido el 01/10/2026 (55 días de mora).\nPuede pagar o negociar aquí: https://pagos.cobranza.example/p/ACC-1\n\nCordialmente,\nÁrea de cartera';

let relay: LocalRelay;
beforeAll(async () => {
  relay = await startLocalRelay();
});
afterAll(async () => {
  await relay?.close();
});
beforeEach(() => relay.reset());

const email = (over: Partial<Parameters<typeof smtpEmail>[0]> = {}) =>
  smtpEmail({ url: relay.url, from: FROM, replyTo: 'pagos@acme.example', retry: FAST, ...over });
const message = (over: Partial<{ messageId: string; to: string; subject: string; body: string }> = {}) => ({
  messageId: randomUUID(),
  to: 'ana.gomez@example.com',
  subject: 'Estado de su obligación — Ana Gómez',
  body: BODY,
  ...over,
});

/** A port nothing listens on: opened, read, closed. */
async function closedPort(): Promise<number> {
  const srv = createTcpServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('SMTP e-mail adapter against a local relay', () => {
  it('authenticates, sends the envelope and a plain-text UTF-8 message with our Message-ID, From and Reply-To', async () => {
    const m = message();
    const r = await email().send(m);
    expect(r).toEqual({ ok: true, providerMessageId: '4F2A0001', attempts: 1 });
    expect(relay.received).toHaveLength(1);
    const got = relay.received[0]!;
    expect(got).toMatchObject({ user: RELAY_USER, from: 'cobranza@acme.example', to: ['ana.gomez@example.com'] });
    const { headers, text } = readMessage(got.raw);
    expect(headers.from).toBe('Área de cartera <cobranza@acme.example>');
    expect(headers['reply-to']).toBe('pagos@acme.example');
    expect(headers.to).toBe('ana.gomez@example.com');
    expect(headers.subject).toBe('Estado de su obligación — Ana Gómez');
    expect(headers['message-id']).toBe(`<${m.messageId}@acme.example>`);
    expect(headers['x-cobranza-message-id']).toBe(m.messageId);
    expect(headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(headers['mime-version']).toBe('1.0');
    expect(headers.date).toMatch(/\d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    expect(text).toBe(BODY);
    // the raw message is 7-bit clean: accents travel encoded, whatever the relay supports
    expect(/^[\x20-\x7e\r\n\t]*$/.test(got.raw)).toBe(true);
  });

  it('connects from host, port, user and password as well as from a URL; no Reply-To unless configured', async () => {
    const r = await smtpEmail({
      host: '127.0.0.1',
      port: relay.port,
      user: RELAY_USER,
      pass: RELAY_PASS,
      from: 'cobranza@acme.example',
      retry: FAST,
    }).send(message({ to: 'b@example.com' }));
    expect(r.ok).toBe(true);
    const { headers } = readMessage(relay.received[0]!.raw);
    expect(headers.from).toBe('cobranza@acme.example');
    expect(headers['reply-to']).toBeUndefined();
  });

  it('550 mailbox unavailable at RCPT is permanent: answered once, nothing delivered', async () => {
    relay.refuseNext(1, 'rcpt', 550);
    const r = await email().send(message());
    expect(r).toMatchObject({ ok: false, permanent: true, status: 550, code: 'smtp.550', attempts: 1 });
    if (!r.ok) expect(r.message).toMatch(/mailbox unavailable/);
    expect(relay.connections).toBe(1);
    expect(relay.received).toHaveLength(0);
  });

  it('554 content rejected after DATA is permanent', async () => {
    relay.refuseNext(1, 'data', 554, 'Transaction failed: message content rejected');
    const r = await email().send(message());
    expect(r).toMatchObject({ ok: false, permanent: true, status: 554, code: 'smtp.554', attempts: 1 });
    expect(relay.connections).toBe(1);
  });

  it('bad credentials (535) are permanent and not retried', async () => {
    const r = await email({ url: `smtp://${RELAY_USER}:wrong@127.0.0.1:${relay.port}` }).send(message());
    expect(r).toMatchObject({ ok: false, permanent: true, status: 535, code: 'smtp.535', attempts: 1 });
    expect(relay.connections).toBe(1);
    expect(relay.received).toHaveLength(0);
  });

  it('a 4xx is transient: retried on a new connection and delivered once', async () => {
    relay.refuseNext(1, 'rcpt', 451);
    const r = await email().send(message());
    expect(r).toMatchObject({ ok: true, attempts: 2 });
    expect(relay.connections).toBe(2);
    expect(relay.received).toHaveLength(1);
  });

  it('a 4xx on MAIL FROM (421 shutting down) is retried too', async () => {
    relay.refuseNext(2, 'mail', 421, 'Service not available, closing transmission channel');
    const r = await email().send(message());
    expect(r).toMatchObject({ ok: true, attempts: 3 });
    expect(relay.received).toHaveLength(1);
  });

  it('a 4xx that persists gives up after the last attempt as a temporary failure', async () => {
    relay.refuseNext(5, 'data', 452, 'Insufficient system storage');
    const r = await email().send(message());
    expect(r).toMatchObject({ ok: false, permanent: false, status: 452, code: 'smtp.452', attempts: 3 });
    expect(relay.connections).toBe(3);
    expect(relay.received).toHaveLength(0);
  });

  it('connection refused is transient: retried, then reported unreachable', async () => {
    const port = await closedPort();
    const r = await email({ url: `smtp://u:p@127.0.0.1:${port}` }).send(message());
    expect(r).toMatchObject({ ok: false, permanent: false, status: null, code: 'smtp.unreachable', attempts: 3 });
  });

  it('a relay that takes the message and never answers is not sent again (it may have been queued)', async () => {
    relay.hangNext(1);
    const r = await email({ retry: { ...FAST, timeoutMs: 400 } }).send(message());
    expect(r).toMatchObject({ ok: false, permanent: false, status: null, code: 'smtp.connection_lost', attempts: 1 });
    expect(relay.connections).toBe(1);
    expect(relay.received).toHaveLength(1);
  });

  it('with TLS required, a relay without STARTTLS gets no credentials and no message: failed at once', async () => {
    const r = await email({ requireTLS: true }).send(message());
    expect(r).toMatchObject({ ok: false, permanent: true, attempts: 1 });
    expect(relay.logins).toBe(0);
    expect(relay.received).toHaveLength(0);
    // the same relay, TLS not required: credentials go over the (loopback) connection
    expect((await email().send(message())).ok).toBe(true);
    expect(relay.logins).toBe(1);
  });

  it('a message without a subject is refused before connecting', async () => {
    const r = await email().send(message({ subject: '  ' }));
    expect(r).toMatchObject({ ok: false, permanent: true, code: 'smtp.no_subject', attempts: 0 });
    expect(relay.connections).toBe(0);
  });
});

describe('e-mail configuration from the environment', () => {
  it('no SMTP variables: no e-mail provider (messages fail with no_provider)', () => {
    expect(providersFromEnv({}).email).toBeUndefined();
  });

  it('SMTP_HOST/PORT/USER/PASS and EMAIL_FROM/EMAIL_REPLY_TO reach the relay', async () => {
    const p = providersFromEnv({
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(relay.port),
      SMTP_USER: RELAY_USER,
      SMTP_PASS: RELAY_PASS,
      SMTP_SECURE: 'false',
      EMAIL_FROM: 'Cartera ACME <cartera@acme.example>',
      EMAIL_REPLY_TO: 'Pagos <pagos@acme.example>',
    }).email!;
    expect(p).toMatchObject({ channel: 'email', name: 'smtp' });
    const m = message();
    expect((await p.send(m)).ok).toBe(true);
    const { headers } = readMessage(relay.received[0]!.raw);
    expect(relay.received[0]!.from).toBe('cartera@acme.example');
    expect(headers).toMatchObject({
      from: 'Cartera ACME <cartera@acme.example>',
      'reply-to': 'Pagos <pagos@acme.example>',
      'message-id': `<${m.messageId}@acme.example>`,
    });
  });

  it('SMTP_URL reaches the relay', async () => {
    const p = providersFromEnv({ SMTP_URL: relay.url, EMAIL_FROM: 'cartera@acme.example' }).email!;
    expect((await p.send(message())).ok).toBe(true);
    expect(relay.received).toHaveLength(1);
  });

  it('a wrong value stops the server at start, naming the variable', () => {
    expect(() => providersFromEnv({ SMTP_HOST: 'h', SMTP_PORT: '58x', EMAIL_FROM: 'a@b.co' })).toThrow(/SMTP_PORT/);
    expect(() => providersFromEnv({ SMTP_HOST: 'h', SMTP_SECURE: 'si', EMAIL_FROM: 'a@b.co' })).toThrow(/SMTP_SECURE/);
    expect(() => providersFromEnv({ SMTP_HOST: 'h', EMAIL_FROM: 'Cartera' })).toThrow(/EMAIL_FROM/);
    expect(() => providersFromEnv({ SMTP_URL: 'smtp://relay.acme.example:587' })).toThrow(/EMAIL_FROM is required/);
  });
});
