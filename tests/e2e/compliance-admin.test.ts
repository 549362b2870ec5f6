import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { PROTOCOL_VERSION } from '../../src/shared/sync/protocol';
import { call, login } from '../helpers/server';
import { loginThroughUi, startWorkstationStack, type WorkstationStack } from './helpers/stack';

/** The admin edits the organisation's stricter rules and DNC list in the UI; every change is audited. */
describe('compliance admin screen', () => {
  let stack: WorkstationStack;
  beforeAll(async () => {
    stack = await startWorkstationStack({ accounts: 20, seed: 3 });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('saves a DNC number and a closed day, shows the audit trail, and names the field of a bad value', async () => {
    const { page } = stack;
    await loginThroughUi(page, 'admin', 'admin123');
    await page.getByTestId('open-compliance-admin').click();
    const screen = page.getByTestId('compliance-admin');
    await screen.waitFor();
    await screen.locator('textarea[name="dncNumbers"]').fill('+573001112233\n+52 55 1234 5678');
    await screen.locator('textarea[name="closedDates"]').fill('2026-12-24');
    await screen.locator('input[name="blocked-letter"]').check();
    await page.getByTestId('compliance-save').click();
    await page.getByTestId('audit-row').first().waitFor();
    expect(await page.getByTestId('audit-row').count()).toBe(1);
    expect(await page.getByTestId('compliance-revision').textContent()).toMatch(/1.*admin/);

    const { token } = await login(stack.server, 'admin', 'admin123');
    const stored = await call(stack.server, 'GET', '/api/v1/org/compliance', { token });
    expect(stored.body.rules).toMatchObject({
      dncNumbers: ['+573001112233', '+52 55 1234 5678'],
      overrides: { closedDates: ['2026-12-24'], blockedChannels: ['letter'] },
    });

    // a bad day is refused by the server, naming the field; nothing more is audited
    await screen.locator('textarea[name="closedDates"]').fill('24/12/2026');
    await page.getByTestId('compliance-save').click();
    const err = page.getByTestId('compliance-error');
    await err.waitFor();
    expect(await err.getAttribute('data-field')).toBe('overrides.closedDates.0');
    expect((await call(stack.server, 'GET', '/api/v1/org/compliance/audit', { token })).body).toHaveLength(1);
    expect(await err.textContent()).toContain('AAAA-MM-DD');
    await screen.locator('textarea[name="closedDates"]').fill('2026-12-24');

    // own contact hours, per weekday, in the form (no JSON): a closing time before opening is
    // refused beside that day's field, in words; fixed, it is saved and audited
    await screen.getByTestId('add-hour-rule').click();
    const rule = screen.getByTestId('hour-rule').first();
    await rule.locator('input[name="overrides.hourRules.0.es"]').fill('Sábados solo hasta el mediodía');
    await rule.locator('input[name="overrides.hourRules.0.en"]').fill('Saturdays only until noon');
    await rule.locator('input[name="overrides.hourRules.0.week.6.open"]').check();
    await rule.locator('input[name="overrides.hourRules.0.week.6.from"]').fill('12:00');
    await rule.locator('input[name="overrides.hourRules.0.week.6.to"]').fill('09:00');
    await page.getByTestId('compliance-save').click();
    const dayErr = rule.locator('[data-field="overrides.hourRules.0.week.6.to"]');
    await dayErr.waitFor();
    expect(await dayErr.textContent()).toContain('después de la apertura');
    await rule.locator('input[name="overrides.hourRules.0.week.6.from"]').fill('08:00');
    await rule.locator('input[name="overrides.hourRules.0.week.6.to"]').fill('12:00');
    await screen.getByTestId('add-cap').click();
    await screen.locator('input[name="overrides.caps.0.es"]').fill('Una llamada al día por deudor');
    await screen.locator('input[name="overrides.caps.0.en"]').fill('One call a day per debtor');
    await page.getByTestId('compliance-save').click();
    await page.getByTestId('audit-row').nth(1).waitFor();
    const saved = await call(stack.server, 'GET', '/api/v1/org/compliance', { token });
    expect(saved.body.rules.overrides.hourRules).toHaveLength(1);
    expect(saved.body.rules.overrides.hourRules[0].week[6]).toEqual({ from: '08:00', to: '12:00' });
    expect(saved.body.rules.overrides.hourRules[0].week[0]).toBeNull();
    expect(saved.body.rules.overrides.caps[0]).toMatchObject({
      kind: 'count',
      blockAt: 1,
      windowDays: 1,
      scope: 'debtor',
      appliesTo: ['call'],
    });
    expect(stack.pageErrors).toEqual([]);
  }, 120_000);

  it('a second call the same day, pushed late from offline, is listed as a violation', async () => {
    const { page } = stack;
    const [acc] = await stack.server.db.query<{ id: string; cp: string }>(
      `SELECT a.id, c.id AS cp FROM accounts a JOIN users u ON u.id = a.assigned_agent_id JOIN debtors d ON d.id = a.debtor_id
         JOIN contact_points c ON c.debtor_id = d.id AND c.kind = 'phone'
        WHERE u.username = 'agente1' AND d.country = 'CO' AND a.status = 'active' AND d.contact_prefs->'authorizedChannels' ? 'call'
        ORDER BY a.id LIMIT 1`,
    );
    expect(acc).toBeDefined();
    const { token } = await login(stack.server, 'agente1', 'agente123');
    const mutations = ['2026-11-25T15:00:00.000Z', '2026-11-25T16:00:00.000Z'].map((startedAt, i) => ({
      id: i + 1,
      name: 'activity.log',
      clientTime: startedAt,
      args: { id: randomUUID(), accountId: acc!.id, channel: 'call', contactPointId: acc!.cp, disposition: 'no_answer', startedAt },
    }));
    const pushed = await call(stack.server, 'POST', '/api/v1/sync/push', {
      token,
      body: { protocolVersion: PROTOCOL_VERSION, clientId: randomUUID(), mutations },
    });
    expect(pushed.body.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);
    await page.getByTestId('open-violations').click();
    const row = page.getByTestId('violation-row');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    // the debtor, the agent, the rule in words (not its id), made offline (pushed long after), and a link to the account
    const text = (await row.first().textContent()) ?? '';
    expect(text).toMatch(/agente1/);
    expect(text).toContain('Más de un contacto en el mismo día');
    expect(text).not.toContain('co.freq.daily');
    expect(await row.first().getAttribute('data-made')).toBe('offline');
    expect(await row.first().locator('[data-rule="co.freq.daily"]').count()).toBe(1);
    await row.first().getByTestId('violation-account').click();
    await page.getByTestId('account-screen').waitFor();
  }, 60_000);

  it('an agent cannot change the rules (403)', async () => {
    const { token } = await login(stack.server, 'agente1', 'agente123');
    expect((await call(stack.server, 'PUT', '/api/v1/org/compliance', { token, body: { overrides: {}, dncNumbers: [] } })).status).toBe(
      403,
    );
  });
});
