import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ContactPreferences } from '../../../src/shared/domain/entities';
import { checkContact } from '../../../src/shared/rules/compliance';
import { toDialString } from '../../../src/shared/telephony/dialplan';
import { launchChromium } from '../../helpers/browser';
import { startKamailio, type KamailioHandle } from '../../helpers/kamailio';
import { loginThroughUi, startWorkstationStack, waitForSync, type WorkstationStack } from '../helpers/stack';
import { bundlePages, openPage, startTestApiServer, waitFor, type TestApiServer } from './harness';
import { debtorDriver, type DebtorDriver } from './drivers';

/**
 * Click-to-call through the real product: the agent clicks a phone number on the account screen
 * of the built renderer (web host + workstation + central server), the softphone registers with
 * a real Kamailio, a sip.js debtor phone answers, the agent hangs up, and the attempt is in the
 * local store at once and on the server after sync.
 */

/** Zones around the globe: at any instant some of them are inside default calling hours. */
const ZONES = [
  'Pacific/Auckland',
  'Asia/Tokyo',
  'Asia/Shanghai',
  'Asia/Bangkok',
  'Asia/Kolkata',
  'Asia/Dubai',
  'Europe/Moscow',
  'Europe/Madrid',
  'Europe/London',
  'Atlantic/Azores',
  'America/Sao_Paulo',
  'America/Santiago',
  'America/Bogota',
  'America/Mexico_City',
  'America/Denver',
  'America/Los_Angeles',
  'Pacific/Honolulu',
];

type Candidate = { accountId: string; debtorId: string; debtorName: string; contactPointId: string; phone: string };

describe('click-to-call through the agent UI', () => {
  let kam: KamailioHandle;
  let stack: WorkstationStack;
  let pages: Awaited<ReturnType<typeof bundlePages>>;
  let pageHost: TestApiServer;
  let phoneBrowser: Browser;
  let debtor: DebtorDriver;
  let target: Candidate;

  beforeAll(async () => {
    kam = await startKamailio();
    pages = await bundlePages();
    pageHost = await startTestApiServer({ pagesDir: pages.dir, credentials: null, accounts: [] });
    stack = await startWorkstationStack({ accounts: 60, seed: 23 });
    phoneBrowser = await launchChromium();

    // The calling hours depend on the debtor's clock, not the test machine's: put one of
    // agente1's debtors (country without a law profile → default hours) in a zone where a call
    // is allowed right now, before the workstation pulls its data.
    const db = stack.server.db;
    const rows = await db.query<Candidate>(
      `SELECT a.id AS "accountId", d.id AS "debtorId", d.name AS "debtorName", cp.id AS "contactPointId", cp.value AS phone
         FROM accounts a JOIN users u ON u.id = a.assigned_agent_id JOIN debtors d ON d.id = a.debtor_id
         JOIN contact_points cp ON cp.debtor_id = d.id
        WHERE u.username = 'agente1' AND a.status = 'active' AND cp.kind = 'phone' AND NOT cp.invalid AND NOT cp.do_not_contact
          AND NOT EXISTS (SELECT 1 FROM activities x JOIN accounts y ON y.id = x.account_id WHERE y.debtor_id = d.id)
        ORDER BY a.id LIMIT 1`,
    );
    target = rows[0]!;
    expect(target, 'an uncontacted active debtor of agente1 with a phone').toBeDefined();
    const prefs: ContactPreferences = { authorizedChannels: ['call'], preferredChannel: null, windows: [], preferredPaymentDay: null };
    const zone = ZONES.find(
      (tz) =>
        checkContact({
          channel: 'call',
          contactPoint: { kind: 'phone', value: target.phone, invalid: false, doNotContact: false },
          debtor: { id: target.debtorId, country: 'ZZ', timeZone: tz, contactPrefs: prefs },
          account: { id: target.accountId, status: 'active' },
          history: [],
          at: new Date(Date.now() + 5 * 60_000),
        }).allowed,
    );
    expect(zone, 'some zone inside calling hours now').toBeDefined();
    await db.query(
      `UPDATE debtors SET country = 'ZZ', time_zone = $2, contact_prefs = $3::jsonb, version = next_change_version() WHERE id = $1`,
      [target.debtorId, zone, JSON.stringify(prefs)],
    );
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
