import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueQuery } from '../../src/shared/api/contract';
import { createWorkstation, type Workstation } from '../../src/main/services';
import { startWebHost } from '../../src/main/webhost';
import { formatMoneyCode, minorToDecimal } from '../../src/shared/domain/money';
import { formatReceiptNumber } from '../../src/shared/field/receipt-book';
import { horizontalOverflow } from './helpers/overflow';
import { loginThroughUi, RENDERER_DIR, startWorkstationStack, waitForSync, type WorkstationStack } from './helpers/stack';

/**
 * Cash receipts through the real UI (docs/field-collection.md): the collector issues a receipt
 * while the central server is down, downloads its PDF, sees it on the end-of-day screen as still
 * to sync, reconnects; the team lead (second workstation, second browser context) sees the
 * payment on the account and the receipt on the cash reconciliation, and records the deposit
 * that brings the difference to zero. Both new screens fit 1280×720 and pass axe.
 */
let stack: WorkstationStack;
let leadWs: Workstation;
let leadHost: Awaited<ReturnType<typeof startWebHost>>;
let leadContext: BrowserContext;
let leadPage: Page;
let leadDir: string;

beforeAll(async () => {
  stack = await startWorkstationStack({ accounts: 60, seed: 3 });
  leadDir = mkdtempSync(join(tmpdir(), 'ws-e2e-lead-'));
  leadWs = await createWorkstation({ dataDir: leadDir, defaultServerUrl: stack.server.url });
  leadHost = await startWebHost({ workstation: leadWs, rendererDir: RENDERER_DIR, host: '127.0.0.1' });
  leadContext = await stack.browser.newContext({ viewport: { width: 1280, height: 720 } });
  leadPage = await leadContext.newPage();
  await leadPage.goto(leadHost.url);
}, 180_000);

afterAll(async () => {
  await leadContext?.close().catch(() => {});
  await leadHost?.close().catch(() => {});
  await leadWs?.close();
  if (leadDir) rmSync(leadDir, { recursive: true, force: true });
  await stack?.close();
});

async function axeSerious(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).setLegacyMode(true).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
}

describe('field receipts (e2e)', () => {
  it('offline receipt → PDF → end of day → reconnect → the lead sees it and reconciles the cash', async () => {
    const { page, server, workstation } = stack;
    await loginThroughUi(page, 'agente1', 'agente123');
    await waitForSync(page, 0, 'online');
    // the device's receipt numbers arrive right after the first sync
    await expect.poll(async () => (await workstation.handlers.getHandover(undefined)).numbersLeft, { timeout: 20_000 }).toBeGreaterThan(0);
    const rows = (await workstation.handlers.listQueue(QueueQuery.parse({ sort: 'priority', dir: 'desc', offset: 0, limit: 100 }))).rows;
    const row = rows.find((r) => r.currency === 'COP' && r.balanceMinor >= 1_500_000) ?? rows[0]!;
    const amount = row.currency === 'COP' || row.currency === 'CLP' ? 1_200_000 : 120_000;
    await page.getByTestId('queue-search').fill(row.externalRef);
    await page.locator(`[data-testid="queue-row"][data-account-id="${row.accountId}"] .debtor-name`).click();
    await page.getByTestId('account-screen').waitFor();

    await server.stop();
    const panel = page.getByTestId('receipt-panel');
    await panel.getByTestId('receipt-amount').fill(minorToDecimal(amount, row.currency));
    if (row.currency === 'COP')
      await expect(panel.getByTestId('receipt-words').textContent()).resolves.toBe('un millón doscientos mil pesos');
    await panel.getByTestId('issue-receipt').click();
    await panel.getByTestId('receipt-issued').waitFor();
    const [receipt] = await workstation.handlers.listReceipts({ accountId: row.accountId });
    expect(receipt).toMatchObject({ amountMinor: amount, unsynced: true });
    await waitForSync(page, 1);
    const download = page.waitForEvent('download');
    await panel.locator(`[data-testid="receipt-row"][data-number="${receipt!.number}"] [data-testid="receipt-pdf"]`).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`recibo-${formatReceiptNumber(receipt!.number)}.pdf`);
    expect(
      readFileSync((await file.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    await page.getByTestId('open-handover').click();
    const handover = page.getByTestId('handover');
    await expect.poll(() => handover.getByTestId('handover-cash').textContent()).toContain(formatMoneyCode(amount, row.currency, 'es'));
    await expect(handover.getByTestId('handover-pending').textContent()).resolves.toContain('1 recibo');
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(await horizontalOverflow(page)).toEqual([]);
    expect(await axeSerious(page)).toEqual([]);

    await server.restart();
    await page.getByTestId('sync-now').click();
    await waitForSync(page, 0, 'online');

    await loginThroughUi(leadPage, 'lider', 'lider123');
    await leadPage.getByTestId('open-cash').click();
    const cash = leadPage.getByTestId('cash-reconciliation');
    await cash.locator(`[data-testid="cash-receipt"][data-number="${receipt!.number}"]`).waitFor({ timeout: 20_000 });
    const line = cash.locator(`[data-testid="cash-row"][data-currency="${row.currency}"]`).first();
    await expect(line.getByTestId('cash-difference').textContent()).resolves.toBe(formatMoneyCode(amount, row.currency, 'es'));
    expect(await horizontalOverflow(leadPage)).toEqual([]);
    expect(await axeSerious(leadPage)).toEqual([]);
    await line.getByTestId('deposit-amount').fill(minorToDecimal(amount, row.currency));
    await line.getByTestId('deposit-save').click();
    await expect.poll(() => line.getByTestId('cash-difference').textContent()).toBe(formatMoneyCode(0, row.currency, 'es'));
    await leadPage.screenshot({ path: join(tmpdir(), 'field-cash-1280.png') });

    // the payment is on the account, as the lead's store pulled it
    const detail = await leadWs.handlers.getAccount({ accountId: row.accountId });
    expect(detail.payments.map((p) => p.reference)).toContain(`RC-${receipt!.number}`);
  }, 120_000);
});
