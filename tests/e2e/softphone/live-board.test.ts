import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkstation, type Workstation } from '../../../src/main/services';
import { startWebHost } from '../../../src/main/webhost';
import { toDialString } from '../../../src/shared/telephony/dialplan';
import { launchChromium } from '../../helpers/browser';
import { startKamailio, type KamailioHandle } from '../../helpers/kamailio';
import { horizontalOverflow } from '../helpers/overflow';
import { loginThroughUi, RENDERER_DIR, startWorkstationStack, waitForSync, type WorkstationStack } from '../helpers/stack';
import { callableDebtor, type CallableDebtor } from './callable-debtor';
import { debtorDriver } from './drivers';
import { bundlePages, openPage, startTestApiServer, waitFor, type TestApiServer } from './harness';

/**
 * The team lead's live board through the real product: the agent calls a debtor through a real
 * Kamailio from the account screen; the lead, on a second workstation, watches the agent go
 * "en llamada" (with whom) within two seconds, then wrap-up and back, and finds the call with its
 * outcome in the agent's timeline. The board and the timeline fit both screen sizes and pass axe.
 */
describe('live board: the lead watches an agent call through Kamailio', () => {
  let kam: KamailioHandle;
  let stack: WorkstationStack;
  let pages: Awaited<ReturnType<typeof bundlePages>>;
  let pageHost: TestApiServer;
  let phoneBrowser: Browser;
  let target: CallableDebtor;
  let leadWs: Workstation;
  let leadHost: Awaited<ReturnType<typeof startWebHost>>;
  let leadContext: BrowserContext;
  let lead: Page;
  let leadDir: string;

  beforeAll(async () => {
    kam = await startKamailio();
    pages = await bundlePages();
    pageHost = await startTestApiServer({ pagesDir: pages.dir, credentials: null, accounts: [] });
    stack = await startWorkstationStack({ accounts: 60, seed: 23 });
    phoneBrowser = await launchChromium();
    const found = await callableDebtor(stack.server.db, 'agente1');
    expect(found, 'an uncontacted active debtor of agente1 with a phone, callable now').toBeDefined();
    target = found!;
    leadDir = mkdtempSync(join(tmpdir(), 'ws-e2e-live-'));
    leadWs = await createWorkstation({ dataDir: leadDir, defaultServerUrl: stack.server.url });
    leadHost = await startWebHost({ workstation: leadWs, rendererDir: RENDERER_DIR, host: '127.0.0.1' });
    leadContext = await stack.browser.newContext({ viewport: { width: 1280, height: 720 } });
    lead = await leadContext.newPage();
    await lead.goto(leadHost.url);
  });

  afterAll(async () => {
    await leadContext?.close().catch(() => {});
    await leadHost?.close().catch(() => {});
    await leadWs?.close();
    if (leadDir) rmSync(leadDir, { recursive: true, force: true });
    await phoneBrowser?.close();
    await stack?.close();
    await pageHost?.close();
    pages?.cleanup();
    await kam?.stop();
  });

  const agentRow = () => lead.locator('[data-testid="live-row"][data-username="agente1"]');
  const agentState = () => agentRow().getByTestId('live-state').getAttribute('data-state');

  it('en llamada within 2 s, with whom; then the outcome in the timeline', async () => {
    const { page } = stack;
    await loginThroughUi(page, 'agente1', 'agente123');
    await waitForSync(page, 0, 'online');
    await loginThroughUi(lead, 'lider', 'lider123');
    await lead.getByTestId('open-live').click();
    await lead.getByTestId('live-board').waitFor();
    await waitFor(agentState, (s) => s === 'available', 15_000, 'agente1 available on the board');

    await page.getByTestId('softphone-settings').click();
    const form = page.getByTestId('sip-settings');
    await form.waitFor();
    await form.locator('input[name="wsUrl"]').fill(kam.wsUrl);
    await form.locator('button[type="submit"]').click();
    await page.locator('[data-testid="softphone-bar"][data-registration="registered"]').waitFor({ timeout: 15_000 });
    const creds = await stack.workstation.handlers.getSipCredentials(undefined);
    const dial = toDialString(target.phone, creds!.dialPlan);
    if (!dial.ok) throw new Error(`cannot dial ${target.phone}`);
    const debtor = debtorDriver(await openPage(phoneBrowser, `${pageHost.url}/debtor.html`, 'debtorPhone'));
    await debtor.start({ wsUrl: kam.wsUrl, user: dial.dial, domain: creds!.domain, mode: 'answer' });

    await page.getByTestId('queue-search').fill(target.debtorName);
    const row = page.locator(`[data-testid="queue-row"][data-account-id="${target.accountId}"]`);
    await row.waitFor();
    await row.locator('.debtor-name').click();
    await page.locator(`[data-testid="call-button"][data-number="${target.phone}"]`).click();
    const clicked = Date.now();
    await waitFor(agentState, (s) => s === 'on_call', 2_000, 'agente1 en llamada on the lead board within 2 s');
    expect(Date.now() - clicked).toBeLessThan(2_000);
    await expect(agentRow().getByTestId('live-with').textContent()).resolves.toContain(target.debtorName);
    await expect(agentRow().getByTestId('live-state').textContent()).resolves.toContain('En llamada');

    await waitFor(
      async () => (await debtor.state()).state,
      (s) => s === 'Established',
      10_000,
      'debtor answered',
    );
    await page.locator('[data-testid="softphone-call"][data-phase="active"]').waitFor();
    await page.waitForTimeout(1_200);
    await page.getByTestId('hangup').click();
    await page.getByTestId('outcome-call').waitFor();
    await waitFor(agentState, (s) => s === 'wrap_up', 3_000, 'wrap-up after the call');
    await page.getByTestId('outcome-submit').click();
    await page.getByTestId('outcome-success').waitFor();
    await waitFor(agentState, (s) => s === 'available', 3_000, 'available after the outcome');
    await stack.workstation.handlers.syncNow(undefined);

    // the agent pauses for lunch from the top bar: the lead sees the reason
    await page.getByTestId('pause-select').selectOption('lunch');
    await waitFor(agentState, (s) => s === 'paused', 3_000, 'paused');
    await expect(agentRow().getByTestId('live-state').textContent()).resolves.toContain('almuerzo');

    const shots = process.env.SCREENSHOTS;
    for (const viewport of [
      { width: 1280, height: 720 },
      { width: 1440, height: 900 },
    ]) {
      await lead.setViewportSize(viewport);
      expect(await horizontalOverflow(lead), `board at ${viewport.width}`).toEqual([]);
      if (shots) {
        mkdirSync(shots, { recursive: true });
        await lead.screenshot({ path: join(shots, `live-board-${viewport.width}.png`) });
      }
    }
    expect(await serious(lead)).toEqual([]);

    await agentRow().getByTestId('open-timeline').click();
    await lead.getByTestId('agent-timeline').waitFor();
    const callItem = lead.locator('[data-testid="timeline-item"][data-kind="call"]');
    await callItem.first().waitFor({ timeout: 10_000 });
    await expect(callItem.first().getAttribute('data-disposition')).resolves.toBe('rpc');
    await expect(callItem.first().textContent()).resolves.toContain('SIP 200');
    await lead.locator('[data-testid="timeline-item"][data-kind="pause"]').first().waitFor();
    // the filter: only pauses
    for (const k of ['call', 'message', 'visit', 'outcome', 'promise', 'note']) await lead.getByTestId(`timeline-kind-${k}`).uncheck();
    await waitFor(
      () => callItem.count(),
      (n) => n === 0,
      5_000,
      'calls filtered out',
    );
    for (const viewport of [
      { width: 1440, height: 900 },
      { width: 1280, height: 720 },
    ]) {
      await lead.setViewportSize(viewport);
      expect(await horizontalOverflow(lead), `timeline at ${viewport.width}`).toEqual([]);
      if (shots) await lead.screenshot({ path: join(shots, `live-timeline-${viewport.width}.png`) });
    }
    expect(await serious(lead)).toEqual([]);
    await lead.getByTestId('timeline-kind-call').check();
    await callItem.first().getByTestId('timeline-account').click();
    await lead.getByTestId('debtor-name').waitFor();
    await expect(lead.getByTestId('debtor-name').textContent()).resolves.toBe(target.debtorName);
    expect(stack.pageErrors).toEqual([]);
  });
});

async function serious(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id}: ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join('; ')}`,
    );
}
