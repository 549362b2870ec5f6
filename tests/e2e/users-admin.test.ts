import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login } from '../helpers/server';
import { loginThroughUi, startWorkstationStack, type WorkstationStack } from './helpers/stack';

/** The admin manages users in the UI: the server refuses bad input naming the field, and audits every change. */
describe('users admin screen', () => {
  let stack: WorkstationStack;
  beforeAll(async () => {
    stack = await startWorkstationStack({ accounts: 20, seed: 3 });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('creates an agent (after a too-short password is refused), moves them to no team, disables and enables them', async () => {
    const { page } = stack;
    await loginThroughUi(page, 'admin', 'admin123');
    await page.getByTestId('open-users-admin').click();
    const screen = page.getByTestId('users-admin');
    await screen.waitFor();
    expect(await page.getByTestId('user-row').count()).toBe(5);

    const form = page.getByTestId('user-create');
    await form.locator('input[name="username"]').fill('agente7');
    await form.locator('input[name="displayName"]').fill('Agente Siete');
    await form.locator('select[name="teamId"]').selectOption({ label: 'Equipo Bogotá' });
    await form.locator('input[name="password"]').fill('corta');
    await page.getByTestId('user-create-submit').click();
    const err = page.getByTestId('users-error');
    await err.waitFor();
    expect(await err.getAttribute('data-field')).toBe('password');
    expect(await err.textContent()).toMatch(/Dato inválido.*10/);

    await form.locator('input[name="password"]').fill('clave-segura-7');
    await page.getByTestId('user-create-submit').click();
    const row = page.locator('[data-testid="user-row"][data-username="agente7"]');
    await row.waitFor();
    expect(await page.getByTestId('users-notice').textContent()).toContain('agente7');
    const created = await login(stack.server, 'agente7', 'clave-segura-7');
    expect(created.user).toMatchObject({ role: 'agent', teamId: stack.server.seed!.teamId, displayName: 'Agente Siete' });

    await row.locator('select[name="team"]').selectOption('');
    await page.locator('[data-testid="users-notice"]', { hasText: 'Cambios de agente7' }).waitFor();
    await row.getByTestId('user-toggle').click();
    await row.getByText('Deshabilitado').waitFor();
    expect((await call(stack.server, 'GET', '/api/v1/me', { token: created.token })).body.error.code).toBe('user_disabled');
    await row.getByTestId('user-toggle').click();
    await row.getByText('Habilitado').waitFor();

    const { token } = await login(stack.server, 'admin', 'admin123');
    const audit = await call(stack.server, 'GET', `/api/v1/users/audit?userId=${created.user.id}`, { token });
    expect(audit.body.entries.map((e: { action: string; after: unknown }) => [e.action, e.after])).toEqual([
      ['user.update', { disabled: false }],
      ['user.update', { disabled: true }],
      ['user.update', { teamId: null }],
      ['user.create', expect.objectContaining({ username: 'agente7' })],
    ]);
    // the admin cannot disable themselves from here: no button on their own row
    expect(await page.locator('[data-testid="user-row"][data-username="admin"]').getByTestId('user-toggle').count()).toBe(0);
    expect(stack.pageErrors).toEqual([]);
  }, 120_000);

  it('a team lead has no users screen', async () => {
    const { page } = stack;
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await loginThroughUi(page, 'lider', 'lider123');
    await page.getByTestId('section-nav').waitFor();
    expect(await page.getByTestId('open-users-admin').count()).toBe(0);
  }, 120_000);
});
