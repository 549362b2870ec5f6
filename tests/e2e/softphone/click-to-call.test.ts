import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { toDialString } from '../../../src/shared/telephony/dialplan';
import { launchChromium } from '../../helpers/browser';
import { startKamailio, type KamailioHandle } from '../../helpers/kamailio';
import { loginThroughUi, startWorkstationStack, waitForSync, type WorkstationStack } from '../helpers/stack';
import { bundlePages, openPage, startTestApiServer, waitFor, type TestApiServer } from './harness';
import { debtorDriver, type DebtorDriver } from './drivers';
import { callableDebtor, type CallableDebtor } from './callable-debtor';

/**
 * Click-to-call through the real product: the agent clicks a phone number on the account screen
 * of the built renderer (web host + workstation + central server), the softphone registers with
 * a real Kamailio, a sip.js debtor phone answers, the agent hangs up, and the attempt is in the
 * local store at once and on the server after sync.
 */

describe('click-to-call through the agent UI', () => {
  let kam: KamailioHandle;
  let stack: WorkstationStack;
  let pages: Awaited<ReturnType<typeof bundlePages>>;
  let pageHost: TestApiServer;
  let phoneBrowser: Browser;
  let debtor: DebtorDriver;
  let target: CallableDebtor;

  beforeAll(async () => {
    kam = await startKamailio();
    pages = await bundlePages();
    pageHost = await startTestApiServer({ pagesDir: pages.dir, credentials: null, accounts: [] });
    stack = await startWorkstationStack({ accounts: 60, seed: 23 });
    phoneBrowser = await launchChromium();

    // calling hours follow the debtor's clock: one of agente1's debtors moved to a zone where a call is allowed now
    const found = await callableDebtor(stack.server.db, 'agente1');
    expect(found, 'an uncontacted active debtor of agente1 with a phone').toBeDefined();
    target = found!;
  });

  afterAll(async () => {
    await phoneBrowser?.close();
    await stack?.close();
    await pageHost?.close();
    pages?.cleanup();
    await kam?.stop();
  });

  it('agent clicks the number, the debtor answers, hang up; the attempt is stored locally and on the server', async () => {
    const { page } = stack;
    expect(stack.pageErrors).toEqual([]);
    await loginThroughUi(page, 'agente1', 'agente123');
    await waitForSync(page, 0, 'online');

    // Point the softphone at this test's Kamailio through its settings form (the demo org's
    // ws://127.0.0.1:8088 may belong to someone else's test on this machine).
    await page.getByTestId('softphone-settings').click();
    const form = page.getByTestId('sip-settings');
    await form.waitFor();
    await expect(form.locator('input[name="extension"]').inputValue()).resolves.toBe('1001');
    await form.locator('input[name="wsUrl"]').fill(kam.wsUrl);
    await form.locator('button[type="submit"]').click();
    await page.locator('[data-testid="softphone-bar"][data-registration="registered"]').waitFor({ timeout: 15_000 });
    expect(kam.requests().some((r) => r.method === 'REGISTER' && r.from.startsWith('sip:1001@'))).toBe(true);

    const creds = await stack.workstation.handlers.getSipCredentials(undefined);
    expect(creds?.wsUrl).toBe(kam.wsUrl);
    const dial = toDialString(target.phone, creds!.dialPlan);
    if (!dial.ok) throw new Error(`cannot dial ${target.phone}`);
    debtor = debtorDriver(await openPage(phoneBrowser, `${pageHost.url}/debtor.html`, 'debtorPhone'));
    await debtor.start({ wsUrl: kam.wsUrl, user: dial.dial, domain: creds!.domain, mode: 'answer' });

    // Open the account from the queue and click its number.
    await page.getByTestId('queue-search').fill(target.debtorName);
    const row = page.locator(`[data-testid="queue-row"][data-account-id="${target.accountId}"]`);
    await row.waitFor();
    await row.locator('.debtor-name').click();
    await expect(page.getByTestId('debtor-name').textContent()).resolves.toBe(target.debtorName);
    const button = page.locator(`[data-testid="call-button"][data-number="${target.phone}"]`);
    await expect(button.isEnabled()).resolves.toBe(true);
    await button.click();

    await waitFor(
      async () => (await debtor.state()).state,
      (s) => s === 'Established',
      10_000,
      'debtor answered',
    );
    await page.locator('[data-testid="softphone-call"][data-phase="active"]').waitFor();
    const before = await debtor.inboundPackets();
    await waitFor(debtor.inboundPackets, (n) => n > before + 10, 5_000, 'agent audio at the debtor');
    expect(kam.requests().some((r) => r.method === 'INVITE' && r.ruri.startsWith(`sip:${dial.dial}@`))).toBe(true);
    await page.waitForTimeout(1_200);
    await page.getByTestId('hangup').click();
    await page.getByTestId('call-ended').waitFor();
    await expect(page.getByTestId('call-ended').getAttribute('data-sip-status')).resolves.toBe('200');
    await waitFor(
      async () => (await debtor.state()).byeReceived,
      (b) => b,
      3_000,
      'BYE at the debtor',
    );
    // The outcome form picks the ended call up, prefilled with the suggested disposition.
    await page.getByTestId('outcome-call').waitFor();
    await expect(page.locator('[data-testid="outcome-form"] input[name="disposition"][value="rpc"]').isChecked()).resolves.toBe(true);

    // In the local store at once …
    const detail = await stack.workstation.handlers.getAccount({ accountId: target.accountId });
    const call = detail.activities.find((a) => a.channel === 'call' && a.sipStatus === 200);
    expect(call).toMatchObject({
      direction: 'outbound',
      contactPointId: target.contactPointId,
      address: target.phone,
      hangupBy: 'agent',
      sipStatus: 200,
    });
    expect(call!.answeredAt).not.toBeNull();
    expect(call!.durationSec).toBeGreaterThanOrEqual(1);

    // … and on the central server after sync.
    await stack.workstation.handlers.syncNow(undefined);
    const onServer = await waitFor(
      () =>
        stack.server.db.query<{ sip_status: number; hangup_by: string; duration_sec: number }>(
          'SELECT sip_status, hangup_by, duration_sec FROM activities WHERE id = $1',
          [call!.id],
        ),
      (r) => r.length === 1,
      15_000,
      'activity on the server',
    );
    expect(onServer[0]).toMatchObject({ sip_status: 200, hangup_by: 'agent', duration_sec: call!.durationSec });
    expect(stack.pageErrors).toEqual([]);
  });
});
