import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../src/shared/domain/time';
import { minorToDecimal } from '../../src/shared/domain/money';
import type { Page } from 'playwright-core';
import type { QueueRow } from '../../src/shared/api/contract';
import { call, login } from '../helpers/server';
import { loginThroughUi, startWorkstationStack, waitForSync, type WorkstationStack } from './helpers/stack';
import { formatHeap, measureRendererHeap, scrollQueue } from './helpers/heap';

/**
 * The walking product through its real UI: central server (PGlite, demo data) + workstation
 * (better-sqlite3 store, sync engine) + web host + the built renderer in Debian's Chromium.
 */
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

let stack: WorkstationStack;

beforeAll(async () => {
  stack = await startWorkstationStack({ accounts: 600, seed: 11 });
});

afterAll(async () => {
  await stack?.close();
});

/** Esc first leaves a focused field, then the account screen. */
async function backToQueue(page: Page): Promise<void> {
  for (let i = 0; i < 3 && !(await page.locator('.queue-screen:not([hidden])').isVisible()); i++) {
    await page.keyboard.press('Escape');
  }
  await page.locator('.queue-screen:not([hidden])').waitFor();
}

/** An active individual's account of agente1, with a name made of given name(s) and two surnames. */
async function pickDebtor(): Promise<{ row: QueueRow; surname: string }> {
  const page = await stack.workstation.handlers.listQueue({ sort: 'priority', dir: 'desc', offset: 0, limit: 200 });
  for (const row of page.rows) {
    const words = row.debtorName.split(/\s+/);
    if (row.status !== 'active' || words.length < 3 || /S\.A|SpA|Ltda|Distribuidora|Comercial/i.test(row.debtorName)) continue;
    const surname = words[words.length - 2]!;
    if (surname.length >= 4) return { row, surname };
  }
  throw new Error("no active individual debtor in agente1's queue");
}

describe('agent workstation (e2e)', () => {
  it('logs in, searches by surname, logs a promise offline, and it reaches the server exactly once', async () => {
    const { page, server } = stack;
    await expect(page.locator('input[name="serverUrl"]').inputValue()).resolves.toBe(
      (await stack.workstation.handlers.getSettings(undefined)).serverUrl,
    );
    // A wrong password is refused with the translated WorkstationError code.
    await page.locator('input[name="username"]').fill('agente1');
    await page.locator('input[name="password"]').fill('no-es-la-clave');
    await page.locator('button[type="submit"]').click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toBe('Usuario o contraseña incorrectos.');

    await loginThroughUi(page, 'agente1', 'agente123');
    await expect(page.getByTestId('agent-name').textContent()).resolves.toMatch(/Asesor/);
    await waitForSync(page, 0, 'online');

    const { row, surname } = await pickDebtor();
    await page.getByTestId('queue-search').fill(surname);
    const target = page.locator(`[data-testid="queue-row"][data-account-id="${row.accountId}"]`);
    // The search is debounced: wait until every row left matches the surname (accent- and
    // case-insensitively), then check it once more on the final list.
    await page.waitForFunction((needle) => {
      const fold = (s: string) =>
        s
          .normalize('NFD')
          .replace(/\p{Diacritic}/gu, '')
          .toLowerCase();
      const names = [...document.querySelectorAll('[data-testid="queue-row"] .debtor-name')].map((e) => e.textContent ?? '');
      return names.length > 0 && names.every((n) => fold(n).includes(fold(needle)));
    }, surname);
    await target.waitFor();
    const names = await page.locator('[data-testid="queue-row"] .debtor-name').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(fold(n)).toContain(fold(surname));

    await target.locator('.debtor-name').click();
    await expect(page.getByTestId('debtor-name').textContent()).resolves.toBe(row.debtorName);
    await expect(page.getByText('Hora local del deudor')).toBeTruthy();
    await page.getByTestId('debtor-local-time').waitFor();

    const detail = await stack.workstation.handlers.getAccount({ accountId: row.accountId });
    const currency = detail.account.currency;
    const amountMinor = detail.account.balanceMinor;
    const dueDate = addDays(localDate(new Date(), detail.debtor.timeZone), 3);
    const note = `Promesa e2e ${Date.now()} — pagará con la prima`;

    await server.stop();

    await page.keyboard.press('Alt+1');
    await expect(page.locator('input[name="disposition"][value="promise_to_pay"]').isChecked()).resolves.toBe(true);
    await page.locator('input[name="installments.0.amount"]').fill(minorToDecimal(amountMinor, currency));
    await page.locator('input[name="installments.0.date"]').fill(dueDate);
    await page.locator('textarea[name="note"]').fill(note);
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('outcome-success').waitFor();
    // the agent's own day counts it at once, offline, from the local store
    await page.waitForFunction(() => document.querySelector('[data-testid="my-day-promises"]')?.textContent === '1 promesa');
    expect(await page.getByTestId('my-day-calls').textContent()).toBe('1 llamada');

    await page.getByTestId('banner-offline').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('banner-offline').textContent()).resolves.toBe(
      'Sin conexión con el servidor — tus gestiones se guardan en este equipo y se enviarán al reconectar',
    );
    // The top bar shows the outbox as the sync engine counts it: one outcome with a promise is
    // written as its mutations (promise.create + activity.log), all waiting for the server.
    const pendingOffline = (await stack.workstation.handlers.getSyncState(undefined)).pending;
    expect(pendingOffline).toBeGreaterThanOrEqual(1);
    await waitForSync(page, pendingOffline, 'offline');
    await expect(page.getByTestId('sync-pending').textContent()).resolves.toBe(
      pendingOffline === 1 ? '1 pendiente' : `${pendingOffline} pendientes`,
    );

    const pendingActivity = page.locator('[data-testid="activity"][data-pending="true"]', { hasText: note });
    await pendingActivity.waitFor();
    await page.getByTestId('promise').first().waitFor();

    await server.restart();
    await page.getByTestId('sync-now').click();
    await waitForSync(page, 0, 'online', 60_000);
    await page.getByTestId('banner-offline').waitFor({ state: 'detached' });
    await page.locator('[data-testid="activity"][data-pending="false"]', { hasText: note }).waitFor();

    // The server's own view, through its REST API, as agente1.
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'agente1', password: 'agente123' }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const res = await fetch(`${server.url}/api/v1/accounts/${row.accountId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const onServer = (await res.json()) as {
      activities: Array<{ note: string | null; disposition: string | null; promiseId: string | null }>;
      promises: Array<{ id: string; installments: Array<{ dueDate: string; amountMinor: number }> }>;
    };
    const mine = onServer.activities.filter((a) => a.note === note);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.disposition).toBe('promise_to_pay');
    const promises = onServer.promises.filter((p) =>
      p.installments.some((i) => i.dueDate === dueDate && Number(i.amountMinor) === amountMinor),
    );
    expect(promises).toHaveLength(1);
    if (mine[0]!.promiseId) expect(mine[0]!.promiseId).toBe(promises[0]!.id);
    expect(stack.pageErrors).toEqual([]);
  });

  it('shows a field error for a bad promise amount and logs nothing', async () => {
    const { page } = stack;
    if (!(await page.getByTestId('account-screen').isVisible())) {
      await page.getByTestId('queue-row').first().locator('.debtor-name').click();
      await page.getByTestId('account-screen').waitFor();
    }
    const before = await page.locator('[data-testid="activity"]').count();
    await page.keyboard.press('Alt+1');
    await page.locator('input[name="installments.0.amount"]').fill('12,5,0abc');
    await page.locator('input[name="installments.0.date"]').fill('2030-01-01');
    await page.getByTestId('outcome-submit').click();
    await expect(page.getByTestId('error-installments.0.amount').textContent()).resolves.toBe('El monto no es un número válido.');
    await expect(page.locator('input[name="installments.0.amount"]').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    // A well-typed amount with a date before the debtor's today breaks the shared promise rules.
    await page.locator('input[name="installments.0.amount"]').fill('1');
    await page.locator('input[name="installments.0.date"]').fill('2020-01-01');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('error-installments.0.date').textContent()).resolves.toMatch(/no puede ser anterior a hoy/);
    await expect(page.getByTestId('error-installments.0.amount').count()).resolves.toBe(0);
    expect(await page.locator('[data-testid="activity"]').count()).toBe(before);
    expect((await stack.workstation.handlers.getSyncState(undefined)).pending).toBe(0);
  });

  it("records the debtor's own contact window and payment day", async () => {
    const { page } = stack;
    await page.getByTestId('account-screen').waitFor();
    await page.getByTestId('edit-prefs').click();
    const form = page.getByTestId('prefs-form');
    await form.getByRole('button', { name: '+ Agregar horario' }).click();
    await form.getByLabel('Desde').fill('19:00');
    await form.getByLabel('Hasta').fill('10:00');
    await form.getByRole('button', { name: 'Guardar preferencias' }).click();
    await form.getByText('La hora de inicio debe ser anterior a la de fin.').waitFor();
    await form.getByLabel('Desde').fill('08:30');
    await form.getByLabel('Hasta').fill('12:00');
    await form.locator('input[inputmode="numeric"]').fill('15');
    await form.getByRole('button', { name: 'Guardar preferencias' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByText('Lun Mar Mié Jue Vie 08:30–12:00').waitFor();
    const name = await page.getByTestId('debtor-name').textContent();
    const row = (await stack.workstation.handlers.listQueue({ search: name ?? '', sort: 'priority', dir: 'desc', offset: 0, limit: 5 }))
      .rows[0]!;
    const detail = await stack.workstation.handlers.getAccount({ accountId: row.accountId });
    expect(detail.debtor.contactPrefs.windows).toContainEqual({ days: [1, 2, 3, 4, 5], from: '08:30', to: '12:00' });
    expect(detail.debtor.contactPrefs.preferredPaymentDay).toBe(15);
  });

  it('switches the UI to English and persists the choice', async () => {
    const { page } = stack;
    await backToQueue(page);
    await expect(page.getByTestId('sync-now').getAttribute('aria-label')).resolves.toBe('Sincronizar ahora');
    await page.getByTestId('language').selectOption('en');
    await expect(page.getByTestId('sync-now').getAttribute('aria-label')).resolves.toBe('Sync now');
    await page.getByRole('columnheader', { name: 'Debtor' }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    expect((await stack.workstation.handlers.getSettings(undefined)).locale).toBe('en');
    // A reload comes back in English: the choice lives in the workstation's settings.
    await page.reload();
    await page.getByTestId('sync-now').waitFor();
    await expect(page.getByTestId('sync-now').getAttribute('aria-label')).resolves.toBe('Sync now');
    await page.getByTestId('language').selectOption('es');
    await expect(page.getByTestId('sync-now').getAttribute('aria-label')).resolves.toBe('Sincronizar ahora');
  });

  it('filters the queue by DPD bucket and sorts it by days past due', async () => {
    const { page } = stack;
    await backToQueue(page);
    await page.getByTestId('queue-search').fill('');
    // as the agent's queue asks: only debtors still contactable today (a contact logged above on one
    // account of a debtor closes all of theirs for the day under Ley 2300)
    const expected = await stack.workstation.handlers.listQueue({
      bucket: '61-90',
      sort: 'dpd',
      dir: 'asc',
      offset: 0,
      limit: 50,
      contactableOnly: true,
    });
    expect(expected.total).toBeGreaterThan(0);
    await page.getByLabel('Tramo de mora').selectOption('61-90');
    await page.getByTestId('queue-sort').selectOption('dpd');
    await page.getByRole('button', { name: 'Descendente' }).click();
    // the demo organisation is Colombian: its queue lists debtors (Ley 2300 counts contacts per debtor)
    await page.waitForFunction(
      ([total, unit]) =>
        new RegExp(`^${total} ${unit}(e?s)?$`).test(document.querySelector('[data-testid="queue-total"]')?.textContent ?? ''),
      [expected.total, expected.groupBy === 'debtor' ? 'deudor' : 'cuenta'] as const,
    );
    const first = page.getByTestId('queue-row').first();
    await expect(first.getAttribute('data-account-id')).resolves.toBe(expected.rows[0]!.accountId);
    const buckets = await page.locator('[data-testid="queue-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-bucket')));
    expect(new Set(buckets)).toEqual(new Set(['61-90']));
    const dpds = await page.locator('[data-testid="queue-row"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-dpd'))));
    expect(dpds).toEqual([...dpds].sort((a, b) => a - b));
    await page.getByLabel('Tramo de mora').selectOption('');
    // each sort starts in its own direction: priority largest first again
    await page.getByTestId('queue-sort').selectOption('priority');
    await page.getByRole('button', { name: 'Descendente' }).waitFor();
  });

  it('keeps the queue virtualised while scrolling; measures the renderer heap', async () => {
    const { page } = stack;
    await backToQueue(page);
    await page.getByTestId('queue-search').fill('');
    await page.getByTestId('queue-row').first().waitFor();
    await scrollQueue(page, 15);
    const sample = await measureRendererHeap(page);
    console.log(`[bench] ${formatHeap(sample)}`);
    expect(sample.loadedRows).toBeGreaterThan(50);
    expect(sample.domRows).toBeLessThan(80);
    expect(sample.usedBytes).toBeGreaterThan(0);
    // j / k move the selection, Enter opens it.
    await page
      .locator('body')
      .click({ position: { x: 5, y: 5 } })
      .catch(() => {});
    await page.getByTestId('queue-scroll').evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.keyboard.press('Escape');
    await page.locator('body').press('j');
    const selected = page.locator('[data-testid="queue-row"][aria-selected="true"]');
    await expect(selected.getAttribute('aria-rowindex')).resolves.toBe('2');
    const id = await selected.getAttribute('data-account-id');
    await page.locator('body').press('Enter');
    await page.getByTestId('account-screen').waitFor();
    const detail = await stack.workstation.handlers.getAccount({ accountId: id! });
    await expect(page.getByTestId('debtor-name').textContent()).resolves.toBe(detail.debtor.name);
    await page.locator('body').press('?');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await page.locator('.queue-screen:not([hidden])').waitFor();
  });

  it('shows "session expired" when the server refuses the agent, and lets them sign in again', async () => {
    const { page, server } = stack;
    await backToQueue(page);
    const admin = await login(server, 'admin', 'admin123');
    const agent = await login(server, 'agente1', 'agente123');
    expect((await call(server, 'POST', `/api/v1/users/${agent.user.id}/disable`, { token: admin.token })).status).toBe(200);
    await page.getByTestId('sync-now').click();
    await page.getByTestId('banner-auth').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('banner-auth').textContent()).resolves.toMatch(/Tu sesión expiró/);
    expect((await stack.workstation.handlers.getSyncState(undefined)).authRequired).toBe(true);

    expect((await call(server, 'POST', `/api/v1/users/${agent.user.id}/enable`, { token: admin.token })).status).toBe(200);
    await page.getByTestId('banner-auth').getByRole('button').click();
    await loginThroughUi(page, 'agente1', 'agente123');
    await page.getByTestId('sync-now').click();
    await waitForSync(page, 0, 'online');
    await page.getByTestId('banner-auth').waitFor({ state: 'detached' });
  });
});
