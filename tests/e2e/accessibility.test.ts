import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginThroughUi, startWorkstationStack, type WorkstationStack } from './helpers/stack';

/**
 * axe-core (injected from the npm package, nothing downloaded) over the workstation's main screens
 * in Debian's Chromium: no serious or critical finding on any of them — contrast, names,
 * landmarks, headings, keyboard reach of scrolling regions.
 */
/** Findings of lower impact that were reported against the workstation and fixed: they stay fixed. */
const ALWAYS = new Set(['page-has-heading-one', 'landmark-one-main', 'scrollable-region-focusable']);

async function seriousFindings(page: Page, screen: string): Promise<string[]> {
  // nothing mid-transition: axe judges what is on screen now
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  // legacy mode runs axe in the page itself: the stack's page owns its context (browser.newPage),
  // where the default mode would open a second page to assemble frame results; there are no frames
  const result = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || ALWAYS.has(v.id))
    .map(
      (v) =>
        `${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ')}]` : ''}`)
          .join('; ')}`,
    );
}

async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Cerrar sesión' }).click();
  await page.locator('form.login-card input[name="username"]').waitFor();
}

describe('accessibility of the main screens (axe-core)', () => {
  let stack: WorkstationStack;
  beforeAll(async () => {
    stack = await startWorkstationStack({ accounts: 30, seed: 5 });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('login, queue and account screen (agent): no serious or critical findings', async () => {
    const { page } = stack;
    await page.locator('form.login-card input[name="username"]').waitFor();
    const found = await seriousFindings(page, 'login');
    await loginThroughUi(page, 'agente1', 'agente123');
    found.push(...(await seriousFindings(page, 'queue')));
    // the selected row's small text is judged on the selected row's background
    await page.keyboard.press('ArrowDown');
    found.push(...(await seriousFindings(page, 'queue, second row selected')));
    await page.getByTestId('queue-row').first().locator('.debtor-name').click();
    await page.getByTestId('account-screen').waitFor();
    found.push(...(await seriousFindings(page, 'account')));
    expect(found).toEqual([]);
    await logout(page);
  }, 120_000);

  it('team lead: activity and approvals; admin: compliance, users, templates, strategies, providers, violations — no serious or critical findings', async () => {
    const { page } = stack;
    const found: string[] = [];
    await loginThroughUi(page, 'lider', 'lider123');
    await page.getByTestId('open-activity').click();
    await page.getByTestId('activity').waitFor();
    await page.getByTestId('activity-row').first().waitFor();
    found.push(...(await seriousFindings(page, 'activity')));
    await page.getByTestId('open-activity').click();
    await page.getByTestId('open-approvals').click();
    await page.getByTestId('approvals-screen').waitFor();
    found.push(...(await seriousFindings(page, 'approvals')));
    await page.getByTestId('open-approvals').click();
    await logout(page);

    await loginThroughUi(page, 'admin', 'admin123');
    for (const [button, screen] of [
      ['open-live', 'live-board'],
      ['open-compliance-admin', 'compliance-admin'],
      ['open-users-admin', 'users-admin'],
      ['open-templates-admin', 'templates-admin'],
      ['open-strategies-admin', 'strategies-admin'],
      ['open-segments-admin', 'segments-admin'],
      ['open-providers-admin', 'providers-admin'],
      ['open-violations', 'violations'],
      ['open-wipes-admin', 'wipes-admin'],
      ['open-risk-models', 'risk-models-admin'],
    ] as const) {
      await page.getByTestId(button).click();
      await page.getByTestId(screen).waitFor();
      await page.waitForFunction(() => !document.querySelector('[role="status"].muted'));
      found.push(...(await seriousFindings(page, screen)));
      await page.getByTestId(button).click();
    }
    // the strategy editor, with the shared schema's problems beside the fields of an empty strategy
    await page.getByTestId('open-strategies-admin').click();
    await page.getByTestId('strategy-new').click();
    await page.getByTestId('strategy-editor').locator('.field-error').first().waitFor();
    found.push(...(await seriousFindings(page, 'strategy editor')));
    await page.getByTestId('open-strategies-admin').click();
    // the admin's account screen, with its "export the debtor's data" button: it saves the HTML file
    const first = page.getByTestId('queue-row').first().locator('.debtor-name');
    const name = (await first.textContent())?.trim() ?? '';
    await first.click();
    await page.getByTestId('account-screen').waitFor();
    found.push(...(await seriousFindings(page, 'account (admin)')));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-debtor').click()]);
    expect(download.suggestedFilename()).toMatch(/^datos-.+-\d{4}-\d{2}-\d{2}\.html$/);
    const file = await download.path();
    const html = (await import('node:fs')).readFileSync(file, 'utf8');
    expect(html).toContain('<html lang="es">');
    expect(name).not.toBe('');
    expect(html).toContain(name);
    expect(found).toEqual([]);
    expect(stack.pageErrors).toEqual([]);
  }, 180_000);
});
