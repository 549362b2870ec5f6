import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createWorkstation, type Workstation } from '../../src/main/services';
import { startWebHost, type WebHost } from '../../src/main/webhost';
import { twilioSms } from '../../src/server/messaging/providers/twilio';
import { launchChromium, pageClockTime } from '../helpers/browser';
import { startFakeTwilio, type FakeProvider } from '../helpers/fake-providers';
import { startFakeMercadoPago, type FakeMercadoPago } from '../helpers/fake-mercadopago';
import { call, login } from '../helpers/server';
import { importRows, row, startComplianceServer, type ComplianceServer } from '../integration/compliance/helpers';
import { assertRendererBuilt, RENDERER_DIR, loginThroughUi, waitForSync } from './helpers/stack';

/**
 * The debtor alone, end to end: the agent sends an SMS through the Twilio adapter (to its local
 * fake); the debtor opens the link it carries on a phone, passes the identity check, chooses a
 * 3-instalment plan and confirms; the agent's workstation shows the promise after sync; the link
 * then says "ya completado". axe-core on every page the debtor sees.
 */
const AT = new Date('2026-11-25T15:00:00Z'); // Wednesday 10:00 Bogotá
const TW = { accountSid: 'AC00000000000000000000000000000e2f', authToken: 'twilio-token-e2e-self-service' };
const PHONE = '+573158887700';
const MP = { accessToken: 'APP_USR-e2e-self-service-0000000000', webhookSecret: 'mp-webhook-secret-e2e-self-service' };

async function axeFindings(page: Page, name: string): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return result.violations.map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
}

describe('the debtor negotiates alone on a phone', () => {
  let twilio: FakeProvider;
  let server: ComplianceServer;
  let mp: FakeMercadoPago;
  let orgCode: string;
  let workstation: Workstation;
  let webHost: WebHost;
  let browser: Browser;
  let agentPage: Page;
  let phone: Page;
  let dataDir: string;

  beforeAll(async () => {
    assertRendererBuilt();
    twilio = await startFakeTwilio(TW);
    server = await startComplianceServer({ sms: twilioSms({ baseUrl: twilio.url, ...TW, from: '+15005550006' }) }, AT);
    await importRows(server, [
      row({
        debtorExternalId: 'E2E-SS-1',
        name: 'Lucía Ramírez Soto',
        nationalId: '52333444',
        accountRef: 'E2E-SS-ACC',
        phones: [PHONE],
        whatsapp: [],
        emails: [],
        assignedAgent: 'agente1',
      }),
    ]);
    const admin = (await login(server, 'admin', 'admin123')).token;
    // the organisation's own address for its links: here, the test server
    const cfg = await call(server, 'PUT', '/api/v1/org/portal', {
      token: admin,
      body: { baseUrl: server.url, identity: 'national_id_last4', linkDays: 14 },
    });
    expect(cfg.status).toBe(200);
    // the organisation's Mercado Pago account: here, a local server that speaks its API
    mp = await startFakeMercadoPago(MP);
    const pay = await call(server, 'PUT', '/api/v1/org/payments', {
      token: admin,
      body: { provider: 'mercadopago', accessToken: MP.accessToken, webhookSecret: MP.webhookSecret, baseUrl: mp.url },
    });
    expect(pay.status, JSON.stringify(pay.body)).toBe(200);
    [{ orgCode }] = (await server.db.query<{ orgCode: string }>('SELECT code AS "orgCode" FROM organizations')) as [{ orgCode: string }];
    dataDir = mkdtempSync(join(tmpdir(), 'ws-e2e-ss-'));
    workstation = await createWorkstation({ dataDir, defaultServerUrl: server.url, now: () => AT, tickMs: 200 });
    webHost = await startWebHost({ workstation, rendererDir: RENDERER_DIR, host: '127.0.0.1' });
    browser = await launchChromium();
    const desk = await browser.newContext({ timezoneId: 'America/Bogota', viewport: { width: 1280, height: 720 } });
    agentPage = await desk.newPage();
    await agentPage.clock.install({ time: pageClockTime(AT) });
    await agentPage.goto(webHost.url);
    const mobile = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'es-CO' });
    phone = await mobile.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await webHost?.close().catch(() => {});
    await workstation?.close();
    await server?.close();
    await twilio?.close();
    await mp?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens the texted link, proves who they are, confirms a 3-instalment plan; the agent sees it; the link then says "ya completado"', async () => {
    await loginThroughUi(agentPage, 'agente1', 'agente123');
    await waitForSync(agentPage, 0, 'online');
    await agentPage.getByTestId('queue-search').fill('Lucía');
    await agentPage.locator('[data-testid="queue-row"] .debtor-name', { hasText: 'Lucía Ramírez Soto' }).first().click();
    await agentPage.getByTestId('message-panel').waitFor();
    await agentPage.getByTestId('msg-channel-sms').click();
    await agentPage.waitForFunction(() => !(document.querySelector('[data-testid="msg-send"]') as HTMLButtonElement).disabled);
    await agentPage.getByTestId('msg-send').click();
    await agentPage.getByTestId('msg-queued').waitFor();
    await workstation.handlers.syncNow(undefined);
    await server.dispatcher.runOnce();

    // what Twilio received: the SMS body with the debtor's link
    const sms = twilio.requests.find((r) => r.method === 'POST' && String(r.body).includes(encodeURIComponent(PHONE)));
    const text = new URLSearchParams(String(sms!.body)).get('Body') ?? '';
    const link = /(http:\/\/\S+\/p\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22})/.exec(text)?.[1];
    expect(link, text).toBeTruthy();

    const findings: string[] = [];
    await phone.goto(link!);
    await expect.poll(() => phone.getByText('Confirme que es usted').count()).toBe(1);
    expect(await phone.content()).not.toContain('Lucía');
    findings.push(...(await axeFindings(phone, 'identity')));
    await phone.getByLabel('Últimos 4 dígitos de su documento de identidad').fill('3444');
    await phone.getByRole('button', { name: 'Continuar' }).click();
    await phone.getByText('Lucía Ramírez Soto').waitFor();
    findings.push(...(await axeFindings(phone, 'debts')));

    await phone.getByLabel('Número de cuotas').selectOption('3');
    await phone.locator('form:has(input[name="kind"][value="plan"])').getByRole('button', { name: 'Ver el plan' }).click();
    await phone.getByRole('caption').waitFor();
    expect(await phone.locator('tbody tr').count()).toBe(4); // down payment + 3
    expect(await phone.content()).toMatch(/25\/11\/2026/);
    findings.push(...(await axeFindings(phone, 'schedule')));
    await phone.getByRole('button', { name: 'Confirmar el acuerdo' }).click();
    await phone.getByText('¡Listo! Su acuerdo quedó registrado').waitFor();
    findings.push(...(await axeFindings(phone, 'confirmed')));

    // the first instalment, paid through the organisation's gateway: "Pagar" sends the phone to
    // Mercado Pago's checkout; the gateway's signed notification records the payment once
    await phone
      .getByRole('link', { name: /^Pagar/ })
      .first()
      .click();
    await phone.waitForURL(/\/checkout\/v1\/redirect\?pref_id=/);
    const prefId = new URL(phone.url()).searchParams.get('pref_id')!;
    const paid = mp.pay(prefId);
    const hook = `${server.url}/api/v1/webhooks/${orgCode}/mercadopago`;
    for (let i = 0; i < 3; i++) expect((await mp.notify(paid.id, { url: hook })).status).toBe(200);
    const [{ n }] = (await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM payments WHERE recorded_via = 'gateway'")) as [
      { n: number },
    ];
    expect(n).toBe(1);

    await workstation.handlers.syncNow(undefined);
    await agentPage.getByTestId('promise').first().waitFor({ timeout: 20_000 });
    await agentPage.locator('section[aria-labelledby="payments-title"] tbody tr').first().waitFor({ timeout: 20_000 });

    await phone.goto(link!);
    await phone.getByText('ya está completado').waitFor();
    findings.push(...(await axeFindings(phone, 'completed')));

    // the agent ends the link from the account screen: the phone then gets the dead end, in Spanish
    await agentPage.getByTestId('portal-link-revoke').click();
    await agentPage.getByText('Se revocó 1 enlace').waitFor();
    await agentPage.screenshot({ path: process.env.SELF_SERVICE_SHOT ?? join(dataDir, 'agent-account.png') });
    await phone.goto(link!);
    await phone.getByText('Este enlace ya no está activo').waitFor();
    findings.push(...(await axeFindings(phone, 'revoked')));
    expect(findings).toEqual([]);
  });
});
