import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horizontalOverflow } from './helpers/overflow';
import { loginThroughUi, startWorkstationStack, type WorkstationStack } from './helpers/stack';

/**
 * Contact habits end to end (docs/contact-habits.md): the server's rows reach the workstation in
 * the pull and the account screen shows the best hours in words and the recommended channel with
 * its reason; an admin edits the segment rules with field errors, previews the count and saves.
 */
describe('contact habits on the account screen, segment rules for admins', () => {
  let stack: WorkstationStack;
  beforeAll(async () => {
    stack = await startWorkstationStack({ accounts: 30, seed: 5 });
    const { server } = stack;
    // every debtor's row as the job would write it: Tue–Thu 18–20 h, WhatsApp on the segment's evidence
    await server.db.query(
      `INSERT INTO contact_habits (debtor_id, org_id, best_hours, best_rate, attempts, rpc, segment, channel)
       SELECT d.id, d.org_id, '{66,67,90,91,114,115}', 0.58, 9, 5, d.segment,
              '{"channel":"whatsapp","stage":"31-60","reason":{"code":"segment","params":{"channel":"whatsapp","pct":41,"attempts":120}}}'::jsonb
       FROM debtors d`,
    );
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('the account screen shows the best hour and the recommended channel with their reasons', async () => {
    const { page } = stack;
    await page.setViewportSize({ width: 1280, height: 720 });
    await loginThroughUi(page, 'agente1', 'agente123');
    await page.getByTestId('queue-row').first().locator('.debtor-name').click();
    const habits = page.getByTestId('habits');
    await habits.waitFor();
    expect(await page.getByTestId('best-hours').textContent()).toBe('Mejor hora: mar–jue 18–20 h');
    expect(await page.getByTestId('best-hours-why').textContent()).toBe(
      '5 de 9 llamadas contestadas por el deudor; estimación 58 % (ajustada hacia su segmento)',
    );
    expect(await page.getByTestId('recommended-channel').textContent()).toBe('Canal recomendado: WhatsApp');
    expect(await page.getByTestId('recommended-channel-why').textContent()).toContain('WhatsApp obtiene más respuestas (41 % estimado)');
    expect(await horizontalOverflow(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/habits-account-1280.png' });
  });

  it('an admin writes a rule, sees the field error, previews the count and saves', async () => {
    const { page } = stack;
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.locator('form.login-card input[name="username"]').waitFor();
    await page.setViewportSize({ width: 1440, height: 900 });
    await loginThroughUi(page, 'admin', 'admin123');
    await page.getByTestId('open-segments-admin').click();
    const screen = page.getByTestId('segments-admin');
    await screen.waitFor();
    expect(await screen.locator('h2').textContent()).toBe('Segmentos');
    await page.getByTestId('segment-add-rule').click();
    await page.getByTestId('segment-rule-name-0').fill('Mora alta');
    await page.getByTestId('segment-min-0-0').fill('90');
    await page.getByTestId('segment-max-0-0').fill('30');
    expect(await screen.locator('.field-error[data-field="0.conditions.0.max"]').textContent()).toBe(
      'El máximo no puede ser menor que el mínimo.',
    );
    expect(await page.getByTestId('segment-save').isDisabled()).toBe(true);
    await page.getByTestId('segment-max-0-0').fill('');
    expect(await screen.locator('.field-error').count()).toBe(0);
    await page.getByTestId('segment-preview').click();
    const result = page.getByTestId('segment-preview-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/^\d+ deudores: alto \d+, medio \d+, bajo \d+; sin regla \(segmento del archivo\): \d+/);
    expect(await result.textContent()).toContain('Mora alta:');
    expect(await horizontalOverflow(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/habits-segments-1440.png' });
    await page.getByTestId('segment-save').click();
    expect(await page.getByTestId('segment-saved').textContent()).toBe('Reglas guardadas (revisión 1). Se aplican en el próximo cálculo.');
    const [audit] = await stack.server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM org_audit WHERE action = 'segments.rules'`);
    expect(audit!.n).toBe(1);
  });
});
