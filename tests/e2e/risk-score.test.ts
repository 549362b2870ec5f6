import { AxeBuilder } from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreWithFixedModel } from '../helpers/risk-model';
import { horizontalOverflow } from './helpers/overflow';
import { loginThroughUi, startWorkstationStack, type WorkstationStack } from './helpers/stack';

const ES = JSON.parse(readFileSync(new URL('../../src/renderer/i18n/es.json', import.meta.url), 'utf8'));

/** The Spanish sentence of a reason, straight from es.json (i18next's plural and interpolation by hand). */
function spanish(reason: { feature: string; params: Record<string, string | number> }): string {
  const f = ES.riskScore.feature;
  const count = reason.params.count;
  const template: string = f[reason.feature] ?? f[`${reason.feature}_${count === 1 ? 'one' : 'other'}`];
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(reason.params[k]));
}

/**
 * docs/risk.md, "On the workstation": scores computed on the server sync to the workstation; the
 * queue's reason gives the propensity and the account screen shows it with its three reasons in
 * words, at both window sizes without sideways overflow.
 */
describe('risk score on the account screen', () => {
  let stack: WorkstationStack;
  beforeAll(async () => {
    stack = await startWorkstationStack({ accounts: 40, seed: 5 });
    const [org] = await stack.server.db.query<{ id: string }>(`SELECT id FROM organizations`);
    const { scored } = await scoreWithFixedModel(stack.server.db, org!.id);
    expect(scored).toBe(40);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('an agent sees the propensity in the queue and the score with its three reasons on the account', async () => {
    const { page, server } = stack;
    await page.setViewportSize({ width: 1280, height: 720 });
    await loginThroughUi(page, 'agente1', 'agente123');
    const reasons = await page.locator('[data-testid="queue-row"] .c-reason').allTextContents();
    expect(reasons.some((r) => / % de probabilidad de pago/.test(r))).toBe(true);

    const row = page.locator('[data-testid="queue-row"]').filter({ hasText: '% de probabilidad de pago' }).first();
    const accountId = (await row.getAttribute('data-account-id'))!;
    await row.locator('.debtor-name').click();
    await page.getByTestId('account-screen').waitFor();
    const panel = page.getByTestId('risk-score');
    await panel.waitFor();

    const [s] = await server.db.query<{
      p: number;
      reasons: { feature: string; direction: string; params: Record<string, string | number> }[];
    }>(`SELECT pay_probability AS p, reasons FROM account_scores WHERE account_id = $1`, [accountId]);
    expect(await panel.getByTestId('risk-percent').textContent()).toBe(`${Math.round(s!.p * 100)} %`);
    const items = await panel.locator('[data-testid="risk-reasons"] li').allTextContents();
    expect(items).toHaveLength(3);
    s!.reasons.forEach((r, i) => {
      expect(items[i]).toContain(spanish(r));
      expect(items[i]).toContain(r.direction === 'up' ? 'sube' : 'baja');
    });
    expect(await horizontalOverflow(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/risk-account-1280.png' });
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(await horizontalOverflow(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/risk-account-1440.png' });
    expect(stack.pageErrors).toEqual([]);
  });

  it('an admin reads the model card: window, features, hold-out AUC, protected-attribute check; no serious axe finding', async () => {
    const { page } = stack;
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.locator('form.login-card input[name="username"]').waitFor();
    await page.setViewportSize({ width: 1280, height: 720 });
    await loginThroughUi(page, 'admin', 'admin123');
    await page.getByTestId('open-risk-models').click();
    const screen = page.getByTestId('risk-models-admin');
    await screen.waitFor();
    expect(await screen.locator('h2').textContent()).toBe('Modelos de riesgo');
    const card = page.getByTestId('risk-model-card');
    await card.first().waitFor();
    expect(await card.count()).toBe(1);
    const text = (await card.first().textContent())!;
    expect(text).toContain('Pago en 30 días');
    expect(text).toContain('En uso');
    expect(text).toContain('AUC en validación: 0.710');
    expect(await page.getByTestId('risk-protected').textContent()).toBe(ES.riskScore.card.protectedOk);
    // the features by the words the agents read, with their coefficients
    expect(text).toContain('n días de mora');
    expect(await horizontalOverflow(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/risk-models-1280.png' });
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(await horizontalOverflow(page)).toEqual([]);
    const axe = await new AxeBuilder({ page }).setLegacyMode(true).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    expect(stack.pageErrors).toEqual([]);
  });
});
