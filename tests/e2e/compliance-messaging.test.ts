import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createWorkstation, type Workstation } from '../../src/main/services';
import { startWebHost, type WebHost } from '../../src/main/webhost';
import { twilioSms } from '../../src/server/messaging/providers/twilio';
import { launchChromium, pageClockTime } from '../helpers/browser';
import { startFakeTwilio, type FakeProvider } from '../helpers/fake-providers';
import { importRows, row, startComplianceServer, type ComplianceServer } from '../integration/compliance/helpers';
import { assertRendererBuilt, RENDERER_DIR, loginThroughUi, waitForSync } from './helpers/stack';

/**
 * "Enviar mensaje" end to end: the agent previews an organisation template for a Colombian debtor,
 * sends it, the workstation queues it, the server judges it again and sends it through the
 * (local fake of the) Twilio API; afterwards the panel refuses a second contact today.
 */
const AT = new Date('2026-11-25T15:00:00Z'); // Wednesday 10:00 Bogotá
const TW = { accountSid: 'AC00000000000000000000000000000abc', authToken: 'tok-e2e' };

describe('send a message from the account screen', () => {
  let twilio: FakeProvider;
  let server: ComplianceServer;
  let workstation: Workstation;
  let webHost: WebHost;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    assertRendererBuilt();
    twilio = await startFakeTwilio(TW);
    server = await startComplianceServer({ sms: twilioSms({ baseUrl: twilio.url, ...TW, from: '+15005550006' }) }, AT);
    await importRows(server, [
      row({
        debtorExternalId: 'E2E-MSG-1',
        name: 'Lucía Restrepo Gil',
        nationalId: '43999888',
        accountRef: 'E2E-MSG-ACC',
        phones: ['+573157778899'],
        whatsapp: [],
        emails: [],
        assignedAgent: 'agente1',
      }),
    ]);
    dataDir = mkdtempSync(join(tmpdir(), 'ws-e2e-msg-'));
    workstation = await createWorkstation({ dataDir, defaultServerUrl: server.url, now: () => AT });
    webHost = await startWebHost({ workstation, rendererDir: RENDERER_DIR, host: '127.0.0.1' });
    browser = await launchChromium();
    const context = await browser.newContext({ timezoneId: 'America/Bogota', viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    await page.clock.install({ time: pageClockTime(AT) });
    await page.goto(webHost.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await webHost?.close().catch(() => {});
    await workstation?.close();
    await server?.close();
    await twilio?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('previews, sends through the provider once, then refuses a second contact today', async () => {
    await loginThroughUi(page, 'agente1', 'agente123');
    await waitForSync(page, 0, 'online');
    await page.getByTestId('queue-search').fill('Lucía');
    await page.locator('[data-testid="queue-row"] .debtor-name', { hasText: 'Lucía Restrepo Gil' }).first().click();
    const panel = page.getByTestId('message-panel');
    await panel.waitFor();
    await page.getByTestId('msg-channel-sms').click();
    const preview = page.getByTestId('msg-preview');
    await expect.poll(() => preview.textContent()).toContain('Lucía Restrepo Gil');
    expect(await preview.textContent()).toMatch(/\$\s?120\.000\.000/);
    const send = page.getByTestId('msg-send');
    await page.waitForFunction(() => !(document.querySelector('[data-testid="msg-send"]') as HTMLButtonElement).disabled);
    await send.click();
    await page.getByTestId('msg-queued').waitFor();

    await workstation.handlers.syncNow(undefined);
    await server.dispatcher.runOnce();
    expect(twilio.requests).toHaveLength(1);
    const form = new URLSearchParams(twilio.requests[0]!.body);
    expect(form.get('To')).toBe('+573157778899');
    expect(form.get('Body')).toContain('Lucía Restrepo Gil');
    const [msg] = await server.db.query<{ status: string }>("SELECT status FROM outbound_messages WHERE address = '+573157778899'");
    expect(msg!.status).toBe('sent');

    // the day's one contact is used (Ley 2300): the panel and the call button now refuse
    const blocked = page.getByTestId('msg-blocked');
    await blocked.waitFor();
    await expect
      .poll(() => page.locator('[data-testid="msg-blocked"] [data-rule]').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule'))))
      .toContain('co.freq.daily');
    expect(await blocked.getAttribute('data-next')).toBe('2026-11-26T12:00:00.000Z'); // tomorrow 07:00 Bogotá
    expect(await send.isDisabled()).toBe(true);
    await page.getByTestId('call-blocked').waitFor();
  }, 120_000);
});
