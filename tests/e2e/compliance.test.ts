import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createWorkstation, type Workstation } from '../../src/main/services';
import { startWebHost, type WebHost } from '../../src/main/webhost';
import { portfolioRowsToCsv } from '../../src/server/portfolio/write-csv';
import type { PortfolioRow } from '../../src/shared/domain/portfolio';
import { launchChromium, pageClockTime } from '../helpers/browser';
import { startKamailio, type KamailioHandle } from '../helpers/kamailio';
import { call, login, startTestServer, type TestServer } from '../helpers/server';
import { assertRendererBuilt, RENDERER_DIR, loginThroughUi, waitForSync } from './helpers/stack';

/**
 * The agent sits in Bogotá; the debtor lives in Mexico City. On Wednesday 25 Nov 2026 (not a
 * Mexican holiday) at 12:30 UTC it is 07:30 for the agent but 06:30 for the debtor: CONDUSEF's
 * 07:00–22:00 forbids the call, and the screen must say so with the next slot, 07:00 debtor time.
 * At 07:00 Mexico City the call button dials. The workstation's clock and the page's clock are
 * both set by the test (createWorkstation({ now }) and Playwright's page.clock).
 */
const AT_0630_MX = new Date('2026-11-25T12:30:00Z');
const AT_0700_MX = new Date('2026-11-25T13:00:00Z');
const PHONE = '+525512345678';

const debtorRow: PortfolioRow = {
  debtorExternalId: 'MX-E2E-1',
  name: 'Mariana Hernández López',
  nationalId: 'HELM800101MDFRPR09',
  country: 'MX',
  timeZone: 'America/Mexico_City',
  debtorType: 'individual',
  segment: 'medium',
  accountRef: 'MX-E2E-ACC-1',
  product: 'Préstamo personal',
  currency: 'MXN',
  principalMinor: 2_500_000,
  balanceMinor: 1_850_000,
  dueDate: '2026-10-15',
  installmentsTotal: 12,
  installmentsPaid: 3,
  installmentAmountMinor: 250_000,
  phones: [PHONE],
  emails: [],
  whatsapp: [],
  address: null,
  authorizedChannels: ['call', 'sms'],
  assignedAgent: 'agente1',
};

describe("contact compliance in the agent UI: the debtor's clock, not the agent's", () => {
  let server: TestServer;
  let kam: KamailioHandle;
  let workstation: Workstation;
  let webHost: WebHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dataDir: string;
  let now = new Date(AT_0630_MX);

  beforeAll(async () => {
    assertRendererBuilt();
    kam = await startKamailio();
    server = await startTestServer({ backend: 'pglite', seed: { accounts: 20, seed: 5 } });
    const { token } = await login(server, 'lider', 'lider123');
    const imported = await call(server, 'POST', '/api/v1/imports/portfolio', {
      token,
      body: portfolioRowsToCsv([debtorRow]),
      contentType: 'text/csv',
    });
    expect(imported.status).toBe(200);
    expect(imported.body.errors).toEqual([]);
    dataDir = mkdtempSync(join(tmpdir(), 'ws-e2e-compliance-'));
    workstation = await createWorkstation({ dataDir, defaultServerUrl: server.url, now: () => now });
    webHost = await startWebHost({ workstation, rendererDir: RENDERER_DIR, host: '127.0.0.1' });
    browser = await launchChromium();
    context = await browser.newContext({ timezoneId: 'America/Bogota', viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    await page.clock.install({ time: pageClockTime(AT_0630_MX) });
    await page.goto(webHost.url);
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await webHost?.close().catch(() => {});
    await workstation?.close();
    await server?.close();
    await kam?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('blocks the call at 06:30 Mexico City with the next slot at 07:00 debtor time, and dials at 07:00', async () => {
    // the browser really is on Bogotá time: 07:30 for the agent
    expect(
      await page.evaluate(() => new Date().toLocaleTimeString('es-CO', { hour: '2-digit', minute: '2-digit', hour12: false })),
    ).toMatch(/^07:3\d$/);
    await loginThroughUi(page, 'agente1', 'agente123');
    await waitForSync(page, 0, 'online');

    await page.getByTestId('softphone-settings').click();
    const form = page.getByTestId('sip-settings');
    await form.waitFor();
    await form.locator('input[name="wsUrl"]').fill(kam.wsUrl);
    await form.locator('button[type="submit"]').click();
    await page.locator('[data-testid="softphone-bar"][data-registration="registered"]').waitFor({ timeout: 15_000 });

    await page.getByTestId('queue-search').fill('Mariana');
    await page.locator('[data-testid="queue-row"] .debtor-name', { hasText: debtorRow.name }).first().click();
    await page.getByTestId('account-screen').waitFor();

    const button = page.locator(`[data-testid="call-button"][data-number="${PHONE}"]`);
    const blocked = page.getByTestId('call-blocked');
    await blocked.waitFor();
    const text = (await blocked.textContent()) ?? '';
    expect(text).toMatch(/07:00/); // the next slot, in the debtor's time (not 08:00 Bogotá)
    expect(text).not.toMatch(/08:00/);
    expect(await button.isDisabled()).toBe(true);

    // the message panel greys SMS too, with the same next slot
    await page.getByTestId('msg-channel-sms').click();
    const msgBlocked = page.getByTestId('msg-blocked');
    await msgBlocked.waitFor();
    expect(await msgBlocked.textContent()).toMatch(/07:00/);
    expect(await page.getByTestId('msg-send').isDisabled()).toBe(true);

    // 07:00 in Mexico City: the workstation's clock and the page's move on; the screen re-checks by itself
    now = new Date(AT_0700_MX.getTime() + 1_000);
    await page.clock.fastForward(AT_0700_MX.getTime() + 1_000 - (await page.evaluate(() => Date.now())));
    await blocked.waitFor({ state: 'detached', timeout: 10_000 });
    await page.waitForFunction(
      (sel) => !(document.querySelector(sel) as HTMLButtonElement | null)?.disabled,
      `[data-testid="call-button"][data-number="${PHONE}"]`,
      { timeout: 10_000 },
    );

    const invitesBefore = kam.requests().filter((r) => r.method === 'INVITE').length;
    await button.click();
    await expect.poll(() => kam.requests().filter((r) => r.method === 'INVITE').length, { timeout: 10_000 }).toBeGreaterThan(invitesBefore);
    expect(await page.getByTestId('softphone-blocked').count()).toBe(0);
  }, 120_000);
});
