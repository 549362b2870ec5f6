import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login } from '../helpers/server';
import { loginThroughUi, startWorkstationStack, type WorkstationStack } from './helpers/stack';

/**
 * An administrator's wipe order, end to end in Chromium: the agent's workstation carries it out at
 * its next sync and the login screen says why the session ended; the admin's "Borrado de equipos"
 * screen shows that order done, and orders another one (with its confirmation), which the server
 * audits and lists as pending.
 */
describe('device wipe: the agent is told, the admin orders and follows', () => {
  let stack: WorkstationStack;
  beforeAll(async () => {
    stack = await startWorkstationStack({ accounts: 20, seed: 3 });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('the wiped agent sees why on the login screen; the admin sees it done and orders another with confirmation', async () => {
    const { page, server } = stack;
    await page.setViewportSize({ width: 1280, height: 720 });
    await loginThroughUi(page, 'agente1', 'agente123');
    const admin = await login(server, 'admin', 'admin123');
    const agent = await login(server, 'agente1', 'agente123');
    expect((await call(server, 'POST', `/api/v1/users/${agent.user.id}/wipe`, { token: admin.token, body: {} })).status).toBe(200);

    await page.getByTestId('sync-now').click();
    const message = page.getByTestId('login-error');
    await message.waitFor({ timeout: 30_000 });
    expect(await message.textContent()).toContain('Este equipo fue borrado por orden de un administrador');

    // the admin signs in on the same workstation: the earlier wipe must not sign them out
    await loginThroughUi(page, 'admin', 'admin123');
    await page.getByTestId('open-wipes-admin').click();
    await page.getByTestId('wipes-admin').waitFor();
    const first = page.locator('[data-testid="wipe-order-row"][data-username="agente1"]');
    await first.waitFor();
    expect(await first.getAttribute('data-state')).toBe('done');

    const row = page.locator('[data-testid="wipe-user"][data-username="agente2"]');
    await row.getByTestId('wipe-order').click();
    expect(await row.textContent()).toContain('¿Borrar los equipos de');
    await row.locator('select[name="mode"]').selectOption('immediate');
    await row.getByTestId('wipe-confirm').click();
    await page.getByTestId('wipe-ordered').waitFor();
    const second = page.locator('[data-testid="wipe-order-row"][data-username="agente2"]');
    await second.waitFor();
    expect(await second.getAttribute('data-state')).toBe('pending');
    expect(await second.textContent()).toContain('De inmediato');

    const [audit] = await server.db!.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM user_admin_audit a JOIN users u ON u.id = a.user_id WHERE a.action = 'user.wipe' AND u.username = 'agente2'`,
    );
    expect(audit?.n).toBe(1);
    expect(stack.pageErrors).toEqual([]);
  }, 180_000);
});
