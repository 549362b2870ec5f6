import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../src/shared/domain/time';
import { portfolioRowsToCsv } from '../../src/server/portfolio/write-csv';
import type { PortfolioRow } from '../../src/shared/domain/portfolio';
import { call, login } from '../helpers/server';
import { until } from '../helpers/until';
import { loginThroughUi, startWorkstationStack, waitForSync, type WorkstationStack } from './helpers/stack';

/**
 * The 03:50 case, at whatever hour the run happens: the e2e runs in working hours (under
 * faketime), so the administrator closes today for the organisation (a closed date, the debtor's
 * calendar) — outbound contacts are then forbidden now, exactly as outside hours.
 */
const debtorRow: PortfolioRow = {
  debtorExternalId: 'CO-E2E-LOG',
  name: 'Lucía Restrepo Gaviria',
  nationalId: '43123456',
  country: 'CO',
  timeZone: 'America/Bogota',
  debtorType: 'individual',
  segment: 'medium',
  accountRef: 'CO-E2E-LOG-1',
  product: 'Tarjeta',
  currency: 'COP',
  principalMinor: 150_000_000,
  balanceMinor: 120_000_000,
  dueDate: '2026-10-01',
  installmentsTotal: 12,
  installmentsPaid: 2,
  installmentAmountMinor: 12_000_000,
  phones: ['+573001234567'],
  emails: [],
  whatsapp: [],
  address: null,
  authorizedChannels: ['call', 'sms'],
  assignedAgent: 'agente1',
};

describe('an outcome logged by hand is checked like placing the contact', () => {
  let stack: WorkstationStack;
  beforeAll(async () => {
    stack = await startWorkstationStack({ accounts: 20, seed: 11 });
    const { token } = await login(stack.server, 'lider', 'lider123');
    const imported = await call(stack.server, 'POST', '/api/v1/imports/portfolio', {
      token,
      body: portfolioRowsToCsv([debtorRow]),
      contentType: 'text/csv',
    });
    expect(imported.body.errors).toEqual([]);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('logs an outcome outside hours and sees it refused, then logs it as inbound and sees it accepted', async () => {
    const { page, server, workstation } = stack;
    await loginThroughUi(page, 'agente1', 'agente123');
    await waitForSync(page, 0, 'online');
    const [acc] = await server.db.query<{ id: string }>('SELECT id FROM accounts WHERE external_ref = $1', [debtorRow.accountRef]);

    // the organisation closes today (the debtor's calendar): no outbound contact is allowed now
    const today = localDate(new Date(), 'America/Bogota');
    const { token: admin } = await login(server, 'admin', 'admin123');
    expect(
      (await call(server, 'PUT', '/api/v1/org/compliance', { token: admin, body: { overrides: { closedDates: [today] }, dncNumbers: [] } }))
        .status,
    ).toBe(200);
    // the workstation picks the rules up with its next sync
    await until(
      async () => {
        await workstation.handlers.syncNow(undefined);
        return workstation.handlers.checkContact({ accountId: acc!.id, contactPointId: null, channel: 'call' });
      },
      (d) => d.reasons.some((r) => r.ruleId === 'org.closed_date'),
      30_000,
    );

    await page.getByTestId('queue-search').fill('Lucía Restrepo');
    await page.locator('[data-testid="queue-row"] .debtor-name', { hasText: debtorRow.name }).first().click();
    await page.getByTestId('account-screen').waitFor();
    const form = page.getByTestId('outcome-form');
    // before typing anything, the form says an outbound contact is not allowed now
    await form.getByTestId('outcome-blocked').waitFor();

    await form.locator('input[name="disposition"][value="promise_to_pay"]').check();
    // the policy's minimum (5 % of the balance) is said before the agent types
    expect(await form.getByTestId('promise-minimum').textContent()).toMatch(/6\.000\.000/);
    await form.locator('input[name="installments.0.amount"]').fill('20000000');
    const due = new Date(Date.now() + 5 * 86_400_000);
    await form.locator('input[name="installments.0.date"]').fill(localDate(due, 'America/Bogota'));
    await form.getByTestId('outcome-submit').click();

    const refused = form.getByTestId('outcome-refused');
    await refused.waitFor({ timeout: 10_000 }).catch(async (e: unknown) => {
      throw new Error(`${String(e)}\nform: ${await form.innerText()}`);
    });
    expect(await refused.getAttribute('role')).toBe('alert');
    expect(await refused.locator('[data-rule="org.closed_date"]').count()).toBe(1);
    expect(await refused.textContent()).toMatch(/entrante/);
    expect(await form.getByTestId('outcome-success').count()).toBe(0);
    expect((await workstation.handlers.getAccount({ accountId: acc!.id })).activities).toHaveLength(0);

    // the debtor had called: the agent marks it inbound and it is accepted
    await form.locator('input[name="direction"][value="inbound"]').check();
    await form.getByTestId('outcome-submit').click();
    await form.getByTestId('outcome-success').waitFor();
    await waitForSync(page, 0, 'online');
    const stored = await until(
      () =>
        server.db.query<{ direction: string; v: string[] | null; disposition: string }>(
          'SELECT direction, compliance_violation AS v, disposition FROM activities WHERE account_id = $1',
          [acc!.id],
        ),
      (rows) => rows.length > 0,
      30_000,
    );
    expect(stored).toEqual([{ direction: 'inbound', v: null, disposition: 'promise_to_pay' }]);
    expect(stack.pageErrors).toEqual([]);
  }, 180_000);
});
