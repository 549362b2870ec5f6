import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutcomeInput, QueueQuery, type QueueRow } from '../../src/shared/api/contract';
import { addDays, formatDay, localDate } from '../../src/shared/domain/time';
import { loginThroughUi, startWorkstationStack, waitForSync, type WorkstationStack } from './helpers/stack';

/**
 * Money and dates as a Bogotá agent reads them, in Chromium at 1280×720 and 1440×900, in Spanish:
 * the day's promises in two currencies carry their codes and are never added together, the
 * account separates the original principal from today's balance, and dates are typed and shown
 * as dd/mm/aaaa (the browser's native date input, in the OS's format, is gone).
 */
let stack: WorkstationStack;
let cop: QueueRow;
let mxn: QueueRow;

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
] as const;

async function noHorizontalOverflow(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll).toBeLessThanOrEqual(client);
}

beforeAll(async () => {
  stack = await startWorkstationStack({ accounts: 160, seed: 11 });
  await loginThroughUi(stack.page, 'agente1', 'agente123');
  await waitForSync(stack.page, 0, 'online');
  const rows = (
    await stack.workstation.handlers.listQueue(QueueQuery.parse({ sort: 'priority', dir: 'desc', offset: 0, limit: 200, status: 'active' }))
  ).rows;
  const pick = (c: string) => {
    const r = rows.find((x) => x.currency === c && x.balanceMinor >= 500_000);
    if (!r) throw new Error(`agente1 has no ${c} account in this seed`);
    return r;
  };
  cop = pick('COP');
  mxn = pick('MXN');
  // two promises today, one per currency (the debtor called in: inbound, never refused by the hour)
  for (const row of [cop, mxn]) {
    const detail = await stack.workstation.handlers.getAccount({ accountId: row.accountId });
    const amountMinor = Math.ceil(detail.account.balanceMinor * 0.5);
    await stack.workstation.handlers.logOutcome(
      OutcomeInput.parse({
        accountId: row.accountId,
        channel: 'call',
        disposition: 'promise_to_pay',
        direction: 'inbound',
        promise: { installments: [{ dueDate: addDays(localDate(new Date(), detail.debtor.timeZone), 5), amountMinor }] },
      }),
    );
  }
}, 240_000);

afterAll(async () => {
  await stack?.close();
});

describe('money and dates on screen (e2e)', () => {
  for (const size of SIZES) {
    it(`Mi día shows each currency with its code, never one sum, at ${size.width}×${size.height}`, async () => {
      const { page } = stack;
      await page.setViewportSize(size);
      await page.waitForFunction(() => document.querySelector('[data-testid="my-day-promises"]')?.textContent === '2 promesas');
      const promised = (await page.getByTestId('my-day-promised').textContent()) ?? '';
      // COP in Colombian format (dots), MXN in Mexican format (comma thousands, two decimals), apart
      expect(promised).toMatch(/COP \d{1,3}(\.\d{3})*/);
      expect(promised).toMatch(/MXN \d{1,3}(,\d{3})*\.\d{2}/);
      expect(promised).toContain(' · ');
      expect(promised).not.toContain('$');
      expect(promised).not.toContain('+');
      await noHorizontalOverflow(page);
      await page.screenshot({ path: `/tmp/money-myday-${size.width}.png` });
    });
  }

  for (const size of SIZES) {
    it(`the account separates original principal from today's balance, and the promise form takes dd/mm/aaaa, at ${size.width}×${size.height}`, async () => {
      const { page } = stack;
      await page.setViewportSize(size);
      const detail = await stack.workstation.handlers.getAccount({ accountId: cop.accountId });
      if (await page.getByTestId('back-to-queue').count()) await page.getByTestId('back-to-queue').click();
      await page.getByTestId('queue-search').fill(cop.externalRef);
      await page.locator(`[data-testid="queue-row"][data-account-id="${cop.accountId}"] .debtor-name`).click();
      await page.getByTestId('account-screen').waitFor();

      await expect(page.getByText('Saldo actual', { exact: true }).count()).resolves.toBe(1);
      await expect(page.getByText('Capital original', { exact: true }).count()).resolves.toBe(1);
      await expect(page.getByTestId('balance-breakdown').textContent()).resolves.toMatch(
        /^Capital \$\s?[\d.]+ · Intereses \$\s?[\d.]+ · Gastos \$\s?0$/,
      );

      await page.locator('input[name="disposition"][value="promise_to_pay"]').check();
      // the policy's least promise is on screen before the agent types an amount
      await page.getByTestId('promise-minimum').waitFor();
      await expect(page.getByTestId('promise-minimum').textContent()).resolves.toMatch(
        /Mínimo a prometer según la política: \$\s?[\d.]+ \(COP\)/,
      );

      const field = page.locator('input[name="installments.0.date"]');
      await expect(field.getAttribute('type')).resolves.toBe('text');
      await expect(field.getAttribute('placeholder')).resolves.toBe('dd/mm/aaaa');
      // an impossible day is refused in words once the agent leaves the field
      await field.fill('31/02/2027');
      await field.press('Tab');
      await expect(page.getByRole('alert').filter({ hasText: '«31/02/2027» no es una fecha del calendario.' }).count()).resolves.toBe(1);
      // a short form is read in Spanish order and written back as dd/mm/aaaa
      const today = localDate(new Date(), detail.debtor.timeZone);
      const target = addDays(today, 10);
      const [y, m, d] = target.split('-');
      await field.fill(`${Number(d)}/${Number(m)}/${y!.slice(2)}`);
      await field.press('Tab');
      await expect(field.inputValue()).resolves.toBe(formatDay(target, 'es'));
      await expect(field.getAttribute('aria-invalid')).resolves.toBe('false');
      // ↑ moves a day without the mouse
      await field.focus();
      await field.press('ArrowUp');
      await expect(field.inputValue()).resolves.toBe(formatDay(addDays(target, 1), 'es'));

      await noHorizontalOverflow(page);
      await page.screenshot({ path: `/tmp/money-account-${size.width}.png`, fullPage: true });
    });
  }

  it('the negotiation dates are dd/mm/aaaa fields too, and each settlement discount says what it applies to', async () => {
    const { page } = stack;
    await page.setViewportSize(SIZES[0]);
    const panel = page.getByTestId('negotiation');
    await panel.getByTestId('neg-quote').waitFor({ timeout: 30_000 });
    const start = panel.getByTestId('neg-start-date');
    await expect(start.inputValue()).resolves.toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    await panel.getByTestId('neg-settlement').check();
    await expect(panel.getByTestId('neg-of-principalPct').textContent()).resolves.toMatch(/^de \$\s?[\d.]+$/);
    await expect(panel.getByTestId('neg-pay-date').getAttribute('placeholder')).resolves.toBe('dd/mm/aaaa');
    await page.screenshot({ path: '/tmp/money-negotiation-1280.png', fullPage: true });
    expect(stack.pageErrors).toEqual([]);
  });

  it("a user's language is theirs: the login screen and the next agent stay in the machine's language", async () => {
    const { page } = stack;
    await page.setViewportSize(SIZES[1]);
    await page.getByTestId('back-to-queue').click();
    const searched = await page.getByTestId('queue-search').inputValue();
    await page.getByTestId('language').selectOption('en');
    await expect(page.getByTestId('sync-now').getAttribute('aria-label')).resolves.toBe('Sync now');
    await page.getByRole('button', { name: 'Sign out' }).click();
    // the login screen is back in Spanish, the machine's language
    await page.locator('form.login-card input[name="username"]').waitFor();
    await expect(page.locator('form.login-card button[type="submit"]').textContent()).resolves.toBe('Ingresar');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
    await page.screenshot({ path: '/tmp/money-login-after-english-user.png' });
    await loginThroughUi(page, 'agente2', 'agente123');
    await expect(page.getByTestId('sync-now').getAttribute('aria-label')).resolves.toBe('Sincronizar ahora');
    // the previous agent's search does not follow them: the next agent starts from a full queue
    expect(searched).not.toBe('');
    await expect(page.getByTestId('queue-search').inputValue()).resolves.toBe('');
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await loginThroughUi(page, 'agente1', 'agente123');
    // agente1's own choice comes back at their login
    await expect(page.getByTestId('sync-now').getAttribute('aria-label')).resolves.toBe('Sync now');
    await page.getByTestId('language').selectOption('es');
    expect(stack.pageErrors).toEqual([]);
  });
});
