import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoneyCode } from '../../src/shared/domain/money';
import { call, login } from '../helpers/server';
import { horizontalOverflow } from './helpers/overflow';
import { loginThroughUi, startWorkstationStack, type WorkstationStack } from './helpers/stack';

/**
 * The administrators' "Estrategias" screen, end to end in Chromium: an admin builds a strategy with
 * a two-step ladder (the shared schema's problems shown beside their fields, in Spanish), simulates
 * it against today's portfolio and reads the table by day and channel — the same numbers the
 * server's simulation gives for that strategy — then saves it and finds it in the list, off.
 * Nothing overflows at either window size.
 */
describe('strategies admin: build, simulate, save', () => {
  let stack: WorkstationStack;
  beforeAll(async () => {
    stack = await startWorkstationStack({ accounts: 60, seed: 5 });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('an admin builds a two-step strategy, simulates it, sees the table, saves it and sees it listed', async () => {
    const { page, server } = stack;
    await page.setViewportSize({ width: 1280, height: 720 });
    await loginThroughUi(page, 'admin', 'admin123');
    await page.getByTestId('open-strategies-admin').click();
    const screen = page.getByTestId('strategies-admin');
    await screen.waitFor();
    expect(await screen.locator('h2').textContent()).toBe('Estrategias');
    await page.getByTestId('strategy-list').waitFor();
    expect(await page.getByTestId('strategy-row').count()).toBe(0);

    await page.getByTestId('strategy-new').click();
    const editor = page.getByTestId('strategy-editor');
    await editor.waitFor();
    // an empty form: the schema's problems beside their fields, and nothing can be simulated or saved
    expect(await editor.locator('.field-error[data-field="name"]').textContent()).toBe('Obligatorio.');
    expect(await editor.locator('.field-error[data-field="steps.0.templateId"]').textContent()).toBe('Este paso necesita una plantilla.');
    expect(await page.getByTestId('strategy-simulate').isDisabled()).toBe(true);
    expect(await page.getByTestId('strategy-save').isDisabled()).toBe(true);
    await page.screenshot({ path: '/tmp/strategies-errors-1280.png' });

    await editor.locator('input[name="name"]').fill('Mora temprana');
    await editor.locator('input[name="dpdMin"]').fill('20');
    await editor.locator('input[name="dpdMax"]').fill('5');
    expect(await editor.locator('.field-error[data-field="scope.dpdMax"]').textContent()).toBe('Debe ser mayor o igual que «desde».');
    await editor.locator('input[name="dpdMax"]').fill('60');
    expect(await editor.locator('.field-error[data-field="scope.dpdMax"]').count()).toBe(0);

    // step 1: an SMS ten days after the due date, with the organisation's SMS template
    const steps = page.getByTestId('strategy-step');
    await steps.nth(0).locator('input[name="day"]').fill('30');
    await steps.nth(0).locator('select[name="action"]').selectOption('sms');
    const smsTemplate = steps.nth(0).locator('select[name="template"] option:not([value=""])').first();
    const templateId = (await smsTemplate.getAttribute('value'))!;
    await steps.nth(0).locator('select[name="template"]').selectOption(templateId);
    // step 2: a call task, which takes no template
    await page.getByTestId('strategy-step-add').click();
    await page.getByTestId('strategy-step-add').click();
    expect(await steps.count()).toBe(3);
    await steps.nth(2).getByTestId('strategy-step-remove').click();
    expect(await steps.count()).toBe(2);
    await steps.nth(1).locator('input[name="day"]').fill('4x');
    expect(await editor.locator('.field-error[data-field="steps.1.day"]').textContent()).toBe('Escriba un número entero.');
    await steps.nth(1).locator('input[name="day"]').fill('45');
    await steps.nth(1).locator('select[name="action"]').selectOption('call_task');
    expect(await steps.nth(1).textContent()).toContain('Sin plantilla');
    expect(await editor.locator('.field-error').count()).toBe(0);

    await page.getByTestId('strategy-simulate').click();
    const table = page.getByTestId('strategy-sim-table');
    await table.waitFor({ timeout: 60_000 });
    const rows = page.getByTestId('strategy-sim-row');
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        date: tr.getAttribute('data-date'),
        action: tr.getAttribute('data-action'),
        counts: Array.from(tr.querySelectorAll('td.num')).map((td) => Number(td.textContent)),
      })),
    );
    // the same strategy simulated by the server directly: the table shows exactly its cells
    const admin = await login(server, 'admin', 'admin123');
    const steps2 = [
      { key: 'paso-1', anchor: 'due_date', day: 30, action: 'sms', templateId, validDays: 2 },
      { key: 'paso-2', anchor: 'due_date', day: 45, action: 'call_task', templateId: null, validDays: 2 },
    ];
    const direct = await call(server, 'POST', '/api/v1/org/strategies/simulate', {
      token: admin.token,
      body: { strategy: { name: 'Mora temprana', scope: { dpdMin: 20, dpdMax: 60 }, steps: steps2 }, days: 30 },
    });
    expect(direct.status).toBe(200);
    const cells = direct.body.cells as Array<{ date: string; action: string; sent: number; waited: number; held: number }>;
    expect(cells.length).toBeGreaterThan(0);
    expect(shown).toEqual(
      [...cells]
        .sort((a, b) => a.date.localeCompare(b.date) || a.action.localeCompare(b.action))
        .map((c) => ({ date: c.date, action: c.action, counts: [c.sent, c.waited, c.held] })),
    );
    expect(new Set(shown.map((r) => r.action))).toEqual(new Set(cells.map((c) => c.action)));
    const firstDate = await rows.first().locator('td').first().textContent();
    expect(firstDate).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect(await page.getByTestId('strategy-sim-summary').textContent()).toContain(`${direct.body.accounts} cuenta`);
    const totalSent = cells.reduce((n, c) => n + c.sent, 0);
    expect(await page.getByTestId('strategy-sim-total').locator('td').first().textContent()).toBe(String(totalSent));
    // the held-back steps' reasons, counted as the server counts them, in Spanish
    const reasons = direct.body.heldReasons as Array<{ code: string; es: string; count: number }>;
    expect(await page.getByTestId('strategy-sim-reason').count()).toBe(reasons.length);
    for (const r of reasons) {
      const tr = page.locator(`[data-testid="strategy-sim-reason"][data-code="${r.code}"]`);
      expect(await tr.locator('td').allTextContents()).toEqual([r.es, String(r.count)]);
    }

    for (const size of [
      { width: 1280, height: 720 },
      { width: 1440, height: 900 },
    ]) {
      await page.setViewportSize(size);
      expect(await horizontalOverflow(page)).toEqual([]);
      await page.screenshot({ path: `/tmp/strategies-form-${size.width}.png` });
      await page.getByTestId('strategy-simulation').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `/tmp/strategies-sim-${size.width}.png` });
      await page.getByTestId('strategy-sim-reasons').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `/tmp/strategies-reasons-${size.width}.png` });
      await page.getByTestId('strategy-editor').scrollIntoViewIfNeeded();
    }

    await page.getByTestId('strategy-save').click();
    await page.getByTestId('strategy-saved').waitFor();
    const row = page.locator('[data-testid="strategy-row"][data-name="Mora temprana"]');
    await row.waitFor();
    expect(await row.getAttribute('data-active')).toBe('false');
    expect(await row.getByTestId('strategy-steps').textContent()).toBe('2 pasos');
    expect(await row.textContent()).toContain('mora 20 a 60 días');
    await page.screenshot({ path: '/tmp/strategies-list-1440.png' });

    // saved on the server as built: two steps in that order, off
    const listed = await call(server, 'GET', '/api/v1/org/strategies', { token: admin.token });
    const saved = (listed.body.strategies as Array<{ name: string; active: boolean; steps: Array<{ action: string; day: number }> }>).find(
      (s) => s.name === 'Mora temprana',
    );
    expect(saved?.active).toBe(false);
    expect(saved?.steps.map((s) => [s.action, s.day])).toEqual([
      ['sms', 30],
      ['call_task', 45],
    ]);

    // editing it again opens the saved ladder; switching it on saves a new revision, shown as on
    await row.getByTestId('strategy-edit').click();
    await editor.waitFor();
    expect(await steps.count()).toBe(2);
    await editor.locator('input[name="active"]').check();
    await page.getByTestId('strategy-save').click();
    await page.locator('[data-testid="strategy-row"][data-name="Mora temprana"][data-active="true"]').waitFor();

    // a second strategy with the same name: the server refuses it and the form says so beside the name
    await page.getByTestId('strategy-new').click();
    await editor.locator('input[name="name"]').fill('Mora temprana');
    await steps.nth(0).locator('select[name="action"]').selectOption('call_task');
    await page.getByTestId('strategy-save').click();
    const taken = editor.locator('.field-error[data-field="name"]');
    await taken.waitFor();
    expect(await taken.textContent()).toBe('Ya existe una estrategia con ese nombre.');
    expect(await editor.locator('input[name="name"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('strategy-row').count()).toBe(1);
    // renamed, the refusal no longer stands
    await editor.locator('input[name="name"]').fill('Mora temprana 2');
    expect(await taken.count()).toBe(0);
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(await horizontalOverflow(page)).toEqual([]);

    // in English: the same screen and its problems in the admin's language
    await page.getByTestId('language').selectOption('en');
    await page.getByText('Strategies', { exact: true }).first().waitFor();
    expect(await screen.locator('h2').textContent()).toBe('Strategies');
    expect(await row.getByTestId('strategy-steps').textContent()).toBe('2 steps');
    await editor.locator('input[name="name"]').fill('');
    expect(await editor.locator('.field-error[data-field="name"]').textContent()).toBe('Required.');
    expect(await horizontalOverflow(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/strategies-en-1280.png' });
    expect(stack.pageErrors).toEqual([]);
  }, 240_000);

  it('edits step conditions and a challenger ladder, sets prices per contact, and reads champion against challenger', async () => {
    const { page, server } = stack;
    await page.getByTestId('language').selectOption('es');
    await page.setViewportSize({ width: 1280, height: 720 });
    const editor = page.getByTestId('strategy-editor');
    const row = page.locator('[data-testid="strategy-row"][data-name="Mora temprana"]');
    await row.getByTestId('strategy-edit').click();
    await editor.waitFor();
    const step0 = page.getByTestId('strategy-step').nth(0);
    // a condition typed wrong is refused beside its cell
    await step0.locator('input[name="minBalance"]').fill('abc');
    const minErr = editor.locator('.field-error[data-field="steps.0.conditions.minBalanceMinor"]');
    expect(await minErr.textContent()).toBe('Escriba un número entero.');
    await step0.locator('input[name="minBalance"]').fill('5000000');
    expect(await minErr.count()).toBe(0);
    await step0.locator('input[name="step-segment-high"]').check();

    // the challenger: a share over 50 % and a step without template are refused beside their fields
    await editor.locator('input[name="challengerOn"]').check();
    await editor.locator('input[name="sharePercent"]').fill('70');
    expect(await editor.locator('.field-error[data-field="challenger.sharePercent"]').textContent()).toBe('Máximo 50.');
    expect(await editor.locator('.field-error[data-field="challenger.steps.0.templateId"]').textContent()).toBe(
      'Este paso necesita una plantilla.',
    );
    expect(await page.getByTestId('strategy-save').isDisabled()).toBe(true);
    await editor.locator('input[name="sharePercent"]').fill('30');
    await page.getByTestId('challenger-copy').click();
    const ch = page.getByTestId('challenger-step');
    expect(await ch.count()).toBe(2);
    await ch.nth(0).locator('input[name="day"]').fill('25');
    expect(await editor.locator('.field-error').count()).toBe(0);
    expect(await horizontalOverflow(page)).toEqual([]);
    await page.getByTestId('challenger-editor').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/strategies-challenger-1280.png' });
    await page.getByTestId('strategy-save').click();
    await page.getByTestId('strategy-saved').waitFor();

    const admin = await login(server, 'admin', 'admin123');
    type Saved = {
      id: string;
      name: string;
      steps: Array<{ conditions: unknown }>;
      challenger: { sharePercent: number; steps: Array<{ key: string; day: number; action: string }> } | null;
    };
    const saved = ((await call(server, 'GET', '/api/v1/org/strategies', { token: admin.token })).body.strategies as Saved[]).find(
      (s) => s.name === 'Mora temprana',
    )!;
    expect(saved.steps[0]!.conditions).toEqual({ minBalanceMinor: 5_000_000, segments: ['high'] });
    expect(saved.challenger?.sharePercent).toBe(30);
    expect(saved.challenger?.steps.map((s) => [s.key, s.day, s.action])).toEqual([
      ['retador-1', 25, 'sms'],
      ['retador-2', 45, 'call_task'],
    ]);

    // what each ladder did, written straight into the ledger: champion A got an SMS and paid
    // 100.000 COP; challenger B got a call task and paid nothing
    const db = server.db;
    const accs = await db.query<{ id: string; orgId: string }>(
      `SELECT id, org_id AS "orgId" FROM accounts WHERE currency = 'COP' ORDER BY id LIMIT 2`,
    );
    const [a, b] = accs as [(typeof accs)[0], (typeof accs)[0]];
    const run = (acc: string, variant: string, key: string, action: string, status: string) =>
      db.query(
        `INSERT INTO strategy_runs (org_id, strategy_id, account_id, step_key, occurrence, anchor_date, variant, action, status, due_at, created_at)
         VALUES ($1, $2, $3, $4, 'due:2026-11-01', '2026-11-01', $5, $6, $7, '2026-11-01T15:00:00Z', '2026-11-01T15:00:00Z')`,
        [a.orgId, saved.id, acc, key, variant, action, status],
      );
    await run(a.id, 'champion', 'paso-1', 'sms', 'sent');
    await run(b.id, 'challenger', 'retador-2', 'call_task', 'tasked');
    await db.query(`UPDATE accounts SET balance_minor = 0 WHERE id = $1`, [a.id]);
    await db.query(`UPDATE accounts SET balance_minor = 700000, due_date = '2020-01-01' WHERE id = $1`, [b.id]);
    await db.query(
      `INSERT INTO payments (org_id, account_id, reference, amount_minor, currency, paid_at) VALUES ($1, $2, 'E2E-1', 100000, 'COP', '2026-11-03T12:00:00Z')`,
      [a.orgId, a.id],
    );

    // the organisation's own SMS price in COP: a negative one is refused beside its cell, 150 COP saved
    const costs = page.getByTestId('contact-costs');
    await costs.locator('summary').click();
    const smsCop = costs.locator('input[name="cost-COP:sms"]');
    expect(await smsCop.inputValue()).toBe('200');
    await smsCop.fill('-1');
    expect(await costs.locator('.field-error[data-field="COP:sms"]').textContent()).toBe('Debe ser un número mayor o igual a 0');
    expect(await page.getByTestId('contact-costs-save').isDisabled()).toBe(true);
    await smsCop.fill('150');
    await page.getByTestId('contact-costs-save').click();
    await page.getByTestId('contact-costs-saved').waitFor();
    expect(await horizontalOverflow(page)).toEqual([]);

    await row.getByTestId('strategy-edit').click();
    const results = page.getByTestId('strategy-results');
    await results.waitFor();
    const champion = results.locator('[data-testid="strategy-result"][data-variant="champion"][data-currency="COP"]');
    await champion.waitFor();
    const cop = (minor: number) => formatMoneyCode(minor, 'COP', 'es');
    const pct = (x: number) => new Intl.NumberFormat('es', { style: 'percent' }).format(x);
    expect(await champion.getByTestId('result-accounts').textContent()).toBe('1');
    expect(await champion.getByTestId('result-cure-rate').textContent()).toBe(`${pct(1)} (1)`);
    expect(await champion.getByTestId('result-contacts-per-cure').textContent()).toBe('1');
    expect(await champion.getByTestId('result-collected').textContent()).toBe(`${cop(100_000)} · 1 cuenta`);
    expect(await champion.getByTestId('result-cost').textContent()).toBe(cop(150));
    expect(await champion.getByTestId('result-cost-per-peso').textContent()).toBe('0,0015');
    const challenger = results.locator('[data-testid="strategy-result"][data-variant="challenger"][data-currency="COP"]');
    expect(await challenger.getByTestId('result-cure-rate').textContent()).toBe(`${pct(0)} (0)`);
    expect(await challenger.getByTestId('result-contacts-per-cure').textContent()).toBe('—');
    // a call task at the default 320 COP a minute × 4 minutes
    expect(await challenger.getByTestId('result-cost').textContent()).toBe(cop(1_280));
    expect(await challenger.getByTestId('result-cost-per-peso').textContent()).toBe('—');
    await results.scrollIntoViewIfNeeded();
    for (const size of [
      { width: 1280, height: 720 },
      { width: 1440, height: 900 },
    ]) {
      await page.setViewportSize(size);
      expect(await horizontalOverflow(page)).toEqual([]);
      await page.screenshot({ path: `/tmp/strategies-results-${size.width}.png` });
    }
    expect(stack.pageErrors).toEqual([]);
  }, 120_000);
});
