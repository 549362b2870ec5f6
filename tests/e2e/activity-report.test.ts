import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/shared/sync/protocol';
import { call, login } from '../helpers/server';
import { loginThroughUi, startWorkstationStack, type WorkstationStack } from './helpers/stack';

/** The team lead reads the team's work of the day, per agent, in the UI; it agrees with the server's report. */
describe('team activity screen', () => {
  let stack: WorkstationStack;
  beforeAll(async () => {
    stack = await startWorkstationStack({ accounts: 30, seed: 5 });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it("shows each agent's calls, right-party contacts and promises of today, a team total, and other periods", async () => {
    const { page, server } = stack;
    const [acc] = await server.db.query<{ id: string; balance: number }>(
      `SELECT a.id, a.balance_minor AS balance FROM accounts a JOIN users u ON u.id = a.assigned_agent_id
       WHERE u.username = 'agente2' AND a.status = 'active' ORDER BY a.id LIMIT 1`,
    );
    const { token } = await login(server, 'agente2', 'agente123');
    const now = new Date().toISOString();
    const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const args = [
      ['activity.log', { id: randomUUID(), accountId: acc!.id, channel: 'call', disposition: 'no_answer', startedAt: now }],
      ['activity.log', { id: randomUUID(), accountId: acc!.id, channel: 'call', disposition: 'promise_to_pay', startedAt: now }],
      [
        'promise.create',
        {
          id: randomUUID(),
          accountId: acc!.id,
          channel: 'call',
          createdAt: now,
          installments: [{ dueDate: due, amountMinor: acc!.balance }],
        },
      ],
    ] as const;
    const pushed = await call(server, 'POST', '/api/v1/sync/push', {
      token,
      body: {
        protocolVersion: PROTOCOL_VERSION,
        clientId: randomUUID(),
        mutations: args.map(([name, a], i) => ({ id: i + 1, name, args: a, clientTime: now })),
      },
    });
    expect(pushed.body.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'applied']);

    await loginThroughUi(page, 'lider', 'lider123');
    await page.getByTestId('open-activity').click();
    const screen = page.getByTestId('activity');
    await screen.waitFor();
    expect(await screen.locator('h2').textContent()).toBe('Actividad del equipo');
    const row = screen.locator('[data-testid="activity-row"][data-username="agente2"]');
    await row.waitFor();
    expect(await row.locator('[data-col="calls"]').textContent()).toBe('2');
    expect(await row.locator('[data-col="rpc"]').textContent()).toMatch(/^1\s*50\s*%$/);
    expect(await row.locator('[data-col="promises"]').textContent()).toBe('1');
    const other = screen.locator('[data-testid="activity-row"][data-username="agente1"]');
    expect(await other.locator('[data-col="calls"]').textContent()).toBe('0');
    expect(await screen.getByTestId('activity-total').locator('[data-col="calls"]').textContent()).toBe('2');
    expect(await screen.getByTestId('activity-row').count()).toBe(4); // agente1-3 and the lead

    // the screen and the server agree on each agent's portfolio
    const lead = (await login(server, 'lider', 'lider123')).token;
    const api = await call(server, 'GET', '/api/v1/reports/activity?period=30d', { token: lead });
    await page.getByTestId('activity-period-30d').click();
    await screen.locator('[data-testid="activity-period-30d"][aria-pressed="true"]').waitFor();
    await page.waitForFunction(
      (from) => document.querySelector('[data-testid="activity-range"]')?.textContent?.includes(from),
      api.body.from.split('-').reverse().join('/'),
    );
    for (const a of api.body.agents as Array<{ username: string; assignedAccounts: number }>) {
      expect(await screen.locator(`[data-testid="activity-row"][data-username="${a.username}"] [data-col="assigned"]`).textContent()).toBe(
        String(a.assignedAccounts),
      );
    }
    expect(stack.pageErrors).toEqual([]);
  }, 120_000);
});
