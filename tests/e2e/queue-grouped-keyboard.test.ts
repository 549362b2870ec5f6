import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { QueueRow } from '../../src/shared/api/contract';
import { loginThroughUi, startWorkstationStack, waitForSync, type WorkstationStack } from './helpers/stack';

/**
 * The agent's queue grouped by debtor (the default in Colombia, where Ley 2300 counts contacts
 * per debtor) and the keyboard path of an inbound caller: search the phone as dictated, Enter,
 * the debtor's account opens; the outcome saved with Ctrl+Enter leaves the note. At the two
 * screen sizes agents use, in Spanish.
 */
let stack: WorkstationStack;

beforeAll(async () => {
  stack = await startWorkstationStack({ accounts: 300, seed: 7 });
  await loginThroughUi(stack.page, 'agente1', 'agente123');
  await waitForSync(stack.page, 0, 'online');
});

afterAll(async () => {
  await stack?.close();
});

async function backToQueue(page: Page): Promise<void> {
  for (let i = 0; i < 3 && !(await page.locator('.queue-screen:not([hidden])').isVisible()); i++) {
    await page.keyboard.press('Escape');
  }
  await page.locator('.queue-screen:not([hidden])').waitFor();
}

/** Nothing in the queue is wider than its box (a screenshot-free overflow check). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.filters, .queue-subbar, .queue-head, .queue-scroll, .topbar')]
      .filter((e) => e.scrollWidth > e.clientWidth + 1)
      .map((e) => `${e.className}: ${e.scrollWidth} > ${e.clientWidth}`),
  );
}

/** A debtor of agente1 with more than one account, as the store groups them. */
async function debtorWithAccounts(): Promise<QueueRow> {
  const page = await stack.workstation.handlers.listQueue({
    groupBy: 'debtor',
    contactableOnly: false,
    sort: 'priority',
    dir: 'desc',
    offset: 0,
    limit: 200,
  });
  const row = page.rows.find((r) => (r.debtorAccounts?.length ?? 0) > 1 && r.debtorName.length > 5);
  if (!row) throw new Error('no debtor with several accounts in the demo portfolio');
  return row;
}

/** The national form of an E.164 number as a caller dictates it: "+573001234567" → "300 123 4567". */
function dictated(e164: string): string {
  const national = e164.replace(/^\+57/, '');
  return `${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}`;
}

describe.each([
  [1280, 720],
  [1440, 900],
])('queue grouped by debtor and the keyboard at %i×%i (e2e)', (width, height) => {
  it('shows one row per debtor with all their accounts, by default, and the toggle splits them', async () => {
    const { page } = stack;
    await page.setViewportSize({ width, height });
    await backToQueue(page);
    const debtor = await debtorWithAccounts();
    const accounts = debtor.debtorAccounts!;
    // the organisation is Colombian: grouped without the agent asking
    await expect(page.getByTestId('group-by-debtor').isChecked()).resolves.toBe(true);
    await expect(page.getByTestId('queue-total').textContent()).resolves.toMatch(/^\d+ deudor(es)?$/);

    await page.getByTestId('queue-search').fill(debtor.debtorName);
    const rowsOf = page.locator(`[data-testid="queue-row"][data-debtor-id="${debtor.debtorId}"]`);
    await rowsOf.first().waitFor();
    // the search applied: this debtor's one row is all that is left
    await page.waitForFunction((id) => {
      const rows = [...document.querySelectorAll('[data-testid="queue-row"]')];
      return rows.length === 1 && rows[0]!.getAttribute('data-debtor-id') === id;
    }, debtor.debtorId);
    const row = rowsOf.first();
    await expect(row.getAttribute('data-accounts')).resolves.toBe(String(accounts.length));
    await expect(row.getByTestId('debtor-account-count').textContent()).resolves.toBe(`${accounts.length} cuentas`);
    const refs = (await row.getByTestId('debtor-account-refs').textContent()) ?? '';
    for (const a of accounts) expect(refs).toContain(a.externalRef);
    const currencies = new Set(accounts.map((a) => a.currency));
    const totals = (await row.getByTestId('debtor-totals').textContent()) ?? '';
    if (currencies.size > 1) for (const c of currencies) expect(totals).toContain(c);
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({ path: `/tmp/queue-grouped-${width}x${height}.png` });

    // per account: one row each
    await page.getByTestId('group-by-debtor').uncheck();
    for (const a of accounts) await page.locator(`[data-testid="queue-row"][data-account-id="${a.accountId}"]`).waitFor();
    await expect(page.getByTestId('queue-total').textContent()).resolves.toMatch(/cuentas?$/);
    await page.getByTestId('group-by-debtor').check();
    await page.waitForFunction(
      (id) => document.querySelectorAll(`[data-testid="queue-row"][data-debtor-id="${id}"]`).length === 1,
      debtor.debtorId,
    );

    // opening the row shows the debtor with the other accounts listed
    await row.locator('.debtor-name').click();
    await page.getByTestId('account-screen').waitFor();
    await expect(page.getByTestId('debtor-name').textContent()).resolves.toBe(debtor.debtorName);
    // the other accounts are read after the screen opens
    await page.waitForFunction(
      (refs) => refs.every((r) => document.querySelector('[data-testid="account-screen"]')?.textContent?.includes(r)),
      accounts.map((a) => a.externalRef),
    );
    await page.screenshot({ path: `/tmp/queue-debtor-open-${width}x${height}.png` });
    await backToQueue(page);
  });

  it('an inbound caller: the phone as dictated, Enter, the debtor opens; Ctrl+Enter saves and leaves the note', async () => {
    const { page, workstation } = stack;
    await page.setViewportSize({ width, height });
    await backToQueue(page);
    // a debtor of the other test's size class, different per viewport, with a Colombian mobile
    const queue = await workstation.handlers.listQueue({
      groupBy: 'debtor',
      contactableOnly: false,
      sort: 'priority',
      dir: 'desc',
      offset: 0,
      limit: 200,
    });
    const candidates = queue.rows.filter((r) => r.phone?.startsWith('+573'));
    const target = candidates[width === 1280 ? 3 : 7]!;
    expect(target).toBeDefined();

    await page.keyboard.press('/');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('queue-search');
    await page.keyboard.type(dictated(target.phone!));
    await page.keyboard.press('Enter');
    await page.getByTestId('account-screen').waitFor();
    await expect(page.getByTestId('debtor-name').textContent()).resolves.toBe(target.debtorName);
    await page.screenshot({ path: `/tmp/queue-phone-enter-${width}x${height}.png` });

    // ↓ from the search box moves into the results; Enter there opens the selected row
    await backToQueue(page);
    await page.keyboard.press('/');
    await page.keyboard.type(`+57 ${dictated(target.phone!)}`);
    await page.waitForFunction(
      (id) => [...document.querySelectorAll('[data-testid="queue-row"]')].every((e) => e.getAttribute('data-debtor-id') === id),
      target.debtorId,
    );
    await page.keyboard.press('ArrowDown');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('queue-scroll');
    await page.keyboard.press('Enter');
    await page.getByTestId('account-screen').waitFor();
    await expect(page.getByTestId('debtor-name').textContent()).resolves.toBe(target.debtorName);

    // the caller called us: an inbound right-party contact, saved from the keyboard
    const before = (await workstation.handlers.getAccount({ accountId: target.accountId })).activities.length;
    await page.locator('input[name="direction"][value="inbound"]').check();
    await page.keyboard.press('Alt+6');
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'note');
    await page.keyboard.type('Llamó para consultar su saldo');
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('outcome-success').waitFor();
    await page.keyboard.press('j');
    await expect(page.locator('textarea[name="note"]').inputValue()).resolves.toBe('');
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.not.toBe('TEXTAREA');
    const after = await workstation.handlers.getAccount({ accountId: target.accountId });
    expect(after.activities.length).toBe(before + 1);
    expect(after.activities.some((a) => a.note === 'Llamó para consultar su saldo' && a.direction === 'inbound')).toBe(true);
    await backToQueue(page);
  });

  it('sorts names A→Z first, ends a long reason with "…", and an empty filtered queue offers to clear the filters', async () => {
    const { page } = stack;
    await page.setViewportSize({ width, height });
    await backToQueue(page);
    await page.getByTestId('queue-search').fill('');
    await page.getByTestId('queue-sort').selectOption('name');
    await page.getByRole('button', { name: 'Ascendente' }).waitFor();
    await page.waitForFunction(() => {
      const names = [...document.querySelectorAll('[data-testid="queue-row"] .debtor-name')].map((e) => e.textContent ?? '');
      const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
      return names.length > 2 && names.every((n, i) => i === 0 || fold(names[i - 1]!) <= fold(n));
    });
    await page.getByTestId('queue-sort').selectOption('priority');

    const head = page.locator('.queue-head .c-reason');
    await expect(head.getAttribute('title')).resolves.toBe('Motivo de prioridad');
    const cut = await page.evaluate(() => {
      const e = document.querySelector<HTMLElement>('.queue-row .c-reason .ellipsis');
      return e ? { overflow: getComputedStyle(e).textOverflow, title: e.parentElement?.getAttribute('title'), text: e.textContent } : null;
    });
    expect(cut?.overflow).toBe('ellipsis');
    expect(cut?.title).toBe(cut?.text);

    await page.getByTestId('queue-search').fill('zzqx nadie se llama así');
    await page.getByTestId('queue-empty').waitFor();
    await page.getByTestId('clear-filters').click();
    await page.getByTestId('queue-row').first().waitFor();
    await expect(page.getByTestId('queue-search').inputValue()).resolves.toBe('');
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({ path: `/tmp/queue-sorted-${width}x${height}.png` });
  });
});
