import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createWorkstation, type Workstation } from '../../src/main/services';
import { startWebHost, type WebHost } from '../../src/main/webhost';
import { twilioSms } from '../../src/server/messaging/providers/twilio';
import { whatsappCloud } from '../../src/server/messaging/providers/whatsapp';
import { metaSignature, twilioSignature } from '../../src/server/messaging/webhook-signatures';
import { launchChromium, pageClockTime } from '../helpers/browser';
import { startFakeTwilio, startFakeWhatsApp, type FakeProvider } from '../helpers/fake-providers';
import { horizontalOverflow } from './helpers/overflow';
import { call, login } from '../helpers/server';
import { importRows, row, startComplianceServer, type ComplianceServer } from '../integration/compliance/helpers';
import { assertRendererBuilt, RENDERER_DIR, loginThroughUi, waitForSync } from './helpers/stack';

/**
 * Both ways, end to end: the agent sends an SMS, Twilio reports it delivered (a signed status
 * callback), the debtor answers by SMS (a signed inbound webhook); after the next sync the agent
 * sees "Entregado" on the message and the reply in the account's conversation and history.
 * Then the admin sets the WhatsApp account on the "Proveedores" screen (secrets write-only), and
 * after the debtor writes on WhatsApp the agent may answer in free text — before, only templates.
 */
const AT = new Date('2026-11-25T15:00:00Z'); // Wednesday 10:00 Bogotá
const TW = { accountSid: 'AC00000000000000000000000000000e2e', authToken: 'twilio-token-e2e-0123456789' };
const PUBLIC = 'https://cobranza.example.com';
const PHONE = '+573158887766';
// another debtor for WhatsApp: Marta's SMS already used her contact of the day
const WA_PHONE = '+573158887700';
const WA = {
  accessToken: 'EAAG-e2e',
  phoneNumberId: '1098765432',
  appSecret: 'meta-app-secret-e2e-0123',
  verifyToken: 'verify-token-e2e-0123',
};

describe('delivery status and a reply in the account', () => {
  let twilio: FakeProvider;
  let meta: FakeProvider;
  let server: ComplianceServer;
  let workstation: Workstation;
  let webHost: WebHost;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let org: string;

  beforeAll(async () => {
    assertRendererBuilt();
    process.env.PUBLIC_BASE_URL = PUBLIC;
    twilio = await startFakeTwilio(TW);
    // the fake keeps the number's window open: what is tested is our server and screen's idea of it
    meta = await startFakeWhatsApp(WA, { openWindows: [WA_PHONE.slice(1)] });
    server = await startComplianceServer(
      {
        sms: twilioSms({ baseUrl: twilio.url, ...TW, from: '+15005550006' }),
        whatsapp: whatsappCloud({ baseUrl: meta.url, version: 'v21.0', ...WA }),
      },
      AT,
      { publicBaseUrl: PUBLIC },
    );
    await importRows(server, [
      row({
        debtorExternalId: 'E2E-BW-1',
        name: 'Marta Ospina Ruiz',
        nationalId: '43111222',
        accountRef: 'E2E-BW-ACC',
        phones: [PHONE],
        whatsapp: [],
        emails: [],
        assignedAgent: 'agente1',
      }),
      row({
        debtorExternalId: 'E2E-BW-2',
        name: 'Julián Restrepo Gil',
        nationalId: '43111333',
        accountRef: 'E2E-BW-ACC2',
        phones: [],
        whatsapp: [WA_PHONE],
        emails: [],
        assignedAgent: 'agente1',
      }),
    ]);
    org = (await server.db.query<{ code: string }>('SELECT code FROM organizations LIMIT 1'))[0]!.code;
    const admin = (await login(server, 'admin', 'admin123')).token;
    const cfg = await call(server, 'PUT', '/api/v1/org/messaging', {
      token: admin,
      body: {
        twilioAccountSid: TW.accountSid,
        twilioAuthToken: TW.authToken,
        whatsappPhoneNumberId: null,
        whatsappAppSecret: null,
        whatsappVerifyToken: null,
      },
    });
    expect(cfg.status).toBe(200);
    dataDir = mkdtempSync(join(tmpdir(), 'ws-e2e-bw-'));
    workstation = await createWorkstation({ dataDir, defaultServerUrl: server.url, now: () => AT, tickMs: 200 });
    webHost = await startWebHost({ workstation, rendererDir: RENDERER_DIR, host: '127.0.0.1' });
    browser = await launchChromium();
    const context = await browser.newContext({ timezoneId: 'America/Bogota', viewport: { width: 1280, height: 720 } });
    page = await context.newPage();
    await page.clock.install({ time: pageClockTime(AT) });
    await page.goto(webHost.url);
  }, 120_000);

  afterAll(async () => {
    delete process.env.PUBLIC_BASE_URL;
    await browser?.close().catch(() => {});
    await webHost?.close().catch(() => {});
    await workstation?.close();
    await server?.close();
    await twilio?.close();
    await meta?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function twilioPost(path: string, params: Record<string, string>) {
    const body = new URLSearchParams(params);
    const r = await fetch(server.url + path, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(PUBLIC + path, [...body.entries()], TW.authToken),
      },
      body: body.toString(),
    });
    expect(r.status).toBe(200);
  }

  it('the agent sees the SMS delivered and the debtor’s reply, in Spanish', async () => {
    await loginThroughUi(page, 'agente1', 'agente123');
    await waitForSync(page, 0, 'online');
    await page.getByTestId('queue-search').fill('Marta');
    await page.locator('[data-testid="queue-row"] .debtor-name', { hasText: 'Marta Ospina Ruiz' }).first().click();
    await page.getByTestId('message-panel').waitFor();
    await page.getByTestId('msg-channel-sms').click();
    await page.waitForFunction(() => !(document.querySelector('[data-testid="msg-send"]') as HTMLButtonElement).disabled);
    await page.getByTestId('msg-send').click();
    await page.getByTestId('msg-queued').waitFor();
    // before the server has it: queued on this computer
    await expect.poll(() => page.locator('[data-testid="message-status"]').first().getAttribute('data-status')).toBe('queued');

    await workstation.handlers.syncNow(undefined);
    await server.dispatcher.runOnce();
    const [msg] = await server.db.query<{ sid: string }>(`SELECT provider_message_id AS sid FROM outbound_messages WHERE address = $1`, [
      PHONE,
    ]);
    await twilioPost(`/api/v1/webhooks/${org}/twilio/status`, {
      AccountSid: TW.accountSid,
      MessageSid: msg!.sid,
      MessageStatus: 'delivered',
      SmsSid: msg!.sid,
      SmsStatus: 'delivered',
      From: '+15005550006',
      To: PHONE,
      ApiVersion: '2010-04-01',
    });
    await twilioPost(`/api/v1/webhooks/${org}/twilio/inbound`, {
      AccountSid: TW.accountSid,
      MessageSid: 'SM' + 'e'.repeat(32),
      From: PHONE,
      To: '+15005550006',
      Body: 'Buenas, pago el viernes sin falta',
      NumMedia: '0',
      ApiVersion: '2010-04-01',
    });
    const notified: Array<{ debtorName: string; channel: string }> = [];
    const stop = workstation.events.onRepliesReceived((r) => notified.push(...r));
    await workstation.handlers.syncNow(undefined);
    // the agent is told (desktop notification, src/main/electron/main.ts) without opening the account
    await expect
      .poll(() => notified, { timeout: 10_000 })
      .toEqual([expect.objectContaining({ debtorName: 'Marta Ospina Ruiz', channel: 'sms' })]);
    stop();

    const history = page.getByTestId('history');
    await expect.poll(() => history.locator('[data-testid="message-status"]').first().textContent(), { timeout: 15_000 }).toBe('Entregado');
    await expect.poll(() => history.locator('[data-testid="reply"]').count()).toBe(1);
    const conversation = page.getByTestId('conversation');
    const bubbles = conversation.getByTestId('conversation-message');
    await expect.poll(() => bubbles.count()).toBe(2);
    expect(await bubbles.nth(0).getAttribute('data-direction')).toBe('outbound');
    expect(await bubbles.nth(1).getAttribute('data-direction')).toBe('inbound');
    expect(await bubbles.nth(1).textContent()).toContain('Buenas, pago el viernes sin falta');
    expect(await bubbles.nth(1).textContent()).toContain('Respuesta del deudor');
    await conversation.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/replies-account-1280.png' });
    await page.setViewportSize({ width: 1440, height: 900 });
    await conversation.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/replies-account-1440.png' });
  }, 120_000);

  it('a reply from an unknown number waits on the team lead’s screen until handled', async () => {
    await twilioPost(`/api/v1/webhooks/${org}/twilio/inbound`, {
      AccountSid: TW.accountSid,
      MessageSid: 'SM' + 'f'.repeat(32),
      From: '+573004445566',
      To: '+15005550006',
      Body: 'Hola, ¿quién me escribe?',
      NumMedia: '0',
    });
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await loginThroughUi(page, 'lider', 'lider123');
    await page.getByTestId('open-approvals').click();
    await page.getByTestId('approvals-screen').waitFor();
    const list = page.getByTestId('unknown-replies');
    const rows = list.getByTestId('unknown-reply');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Hola, ¿quién me escribe?');
    expect(await list.textContent()).toContain('Respuestas sin deudor identificado');
    await list.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/replies-lead-1440.png' });
    await rows.first().getByTestId('unknown-reply-handled').click();
    await expect.poll(() => rows.count()).toBe(0);
  }, 120_000);

  it('the admin sets the WhatsApp account on "Proveedores": secrets write-only, shown as configured', async () => {
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await loginThroughUi(page, 'admin', 'admin123');
    await page.getByTestId('open-providers-admin').click();
    const screen = page.getByTestId('providers-admin');
    await screen.waitFor();
    await expect.poll(() => page.getByTestId('secret-twilioAuthToken').textContent()).toBe('configurado');
    expect(await page.getByTestId('secret-whatsappAppSecret').textContent()).toBe('sin configurar');
    // the stored token never reaches the page
    expect(await page.content()).not.toContain(TW.authToken);
    await screen.locator('input[name="whatsappPhoneNumberId"]').fill('12ab');
    expect(await screen.locator('.field-error[data-field="whatsappPhoneNumberId"]').textContent()).toBe('Valor no válido.');
    expect(await page.getByTestId('providers-save').isDisabled()).toBe(true);
    await screen.locator('input[name="whatsappPhoneNumberId"]').fill(WA.phoneNumberId);
    await screen.locator('input[name="whatsappAppSecret"]').fill(WA.appSecret);
    await screen.locator('input[name="whatsappVerifyToken"]').fill(WA.verifyToken);
    await page.getByTestId('providers-save').click();
    await page.getByTestId('providers-saved').waitFor();
    await expect.poll(() => page.getByTestId('secret-whatsappAppSecret').textContent()).toBe('configurado');
    // the Twilio token left empty was kept
    expect(await page.getByTestId('secret-twilioAuthToken').textContent()).toBe('configurado');
    expect(await screen.locator('input[name="whatsappAppSecret"]').inputValue()).toBe('');
    for (const size of [
      { width: 1280, height: 720 },
      { width: 1440, height: 900 },
    ]) {
      await page.setViewportSize(size);
      expect(await horizontalOverflow(page)).toEqual([]);
      await page.screenshot({ path: `/tmp/providers-${size.width}.png` });
    }
    const admin = (await login(server, 'admin', 'admin123')).token;
    const view = await call(server, 'GET', '/api/v1/org/messaging', { token: admin });
    expect(view.body).toMatchObject({ twilioAuthTokenSet: true, whatsappPhoneNumberId: WA.phoneNumberId, whatsappAppSecretSet: true });
  }, 120_000);

  it('after the debtor writes on WhatsApp the agent answers in free text; before, only templates', async () => {
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await loginThroughUi(page, 'agente1', 'agente123');
    await waitForSync(page, 0, 'online');
    await page.getByTestId('queue-search').fill('Julián');
    await page.locator('[data-testid="queue-row"] .debtor-name', { hasText: 'Julián Restrepo Gil' }).first().click();
    await page.getByTestId('message-panel').waitFor();
    await page.getByTestId('msg-channel-whatsapp').click();
    // no message from the debtor on WhatsApp yet: templates only, no free text offered
    await expect.poll(() => page.getByTestId('msg-window').getAttribute('data-open')).toBe('false');
    expect(await page.getByTestId('msg-free-mode').count()).toBe(0);
    expect(await page.getByTestId('msg-free-text').count()).toBe(0);

    // the debtor writes on WhatsApp (Meta's webhook, signed with the secret the admin just set)
    const payload = Buffer.from(
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '102290129340398',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '15550783881', phone_number_id: WA.phoneNumberId },
                  messages: [
                    {
                      from: WA_PHONE.slice(1),
                      id: 'wamid.e2e-window',
                      timestamp: String(AT.getTime() / 1000 - 300),
                      type: 'text',
                      text: { body: '¿Me pueden dar el número de cuenta?' },
                    },
                  ],
                },
              },
            ],
          },
        ],
      }),
    );
    const r = await fetch(`${server.url}/api/v1/webhooks/${org}/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(payload, WA.appSecret) },
      body: payload,
    });
    expect(r.status).toBe(200);
    await workstation.handlers.syncNow(undefined);
    await expect.poll(() => page.getByTestId('msg-window').getAttribute('data-open'), { timeout: 15_000 }).toBe('true');
    await page.getByTestId('msg-free-mode').check();
    const text = 'Claro: cuenta 123-456 del Banco Ejemplo. Gracias.';
    await page.getByTestId('msg-free-text').fill(text);
    await page.waitForFunction(() => !(document.querySelector('[data-testid="msg-send"]') as HTMLButtonElement).disabled);
    await page.getByTestId('message-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/whatsapp-free-text-1280.png' });
    // cleared before the send: the workstation's own sync may push the message, and the server's
    // push hook send it, before this test's syncNow and runOnce get there
    meta.requests.length = 0;
    await page.getByTestId('msg-send').click();
    await page.getByTestId('msg-queued').waitFor();
    await workstation.handlers.syncNow(undefined);
    await server.dispatcher.runOnce();
    // the debtor receives our words as WhatsApp text, not a template
    await expect.poll(() => meta.requests.length, { timeout: 10_000 }).toBe(1);
    expect(JSON.parse(meta.requests[0]!.body)).toMatchObject({ type: 'text', text: { body: text }, to: WA_PHONE.slice(1) });
  }, 120_000);
});
