import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horizontalOverflow } from './helpers/overflow';
import { loginThroughUi, startWorkstationStack, type WorkstationStack } from './helpers/stack';

/**
 * Every main screen fits the two screens call centres use, 1280×720 and 1440×900: nothing runs
 * past the window or past the box that holds it, except inside the boxes meant to scroll
 * sideways. Checked on the layout itself, not on screenshots. SCREENSHOTS=/dir also saves a PNG
 * of each screen, for a person to look at.
 */
const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
] as const;

type Step = { name: string; open: (page: Page) => Promise<void> };

const openAccount: Step = {
  name: 'account',
  open: async (page) => {
    await page.getByTestId('queue-row').first().locator('.debtor-name').click();
    await page.getByTestId('account-screen').waitFor();
  },
};
const backToQueue: Step = {
  name: 'queue',
  open: async (page) => {
    // the navigation bar's way back when there is one, else the account's own
    const nav = page.getByTestId('open-work');
    if (await nav.count()) await nav.click();
    else await page.getByTestId('back-to-queue').click();
    await page.getByTestId('queue-row').first().waitFor();
  },
};
const nav = (tab: string, screen: string): Step => ({
  name: screen,
  open: async (page) => {
    await page.getByTestId(tab).click();
    await page.getByTestId(screen).waitFor();
    await page.waitForFunction(() => !document.querySelector('[role="status"].muted'));
  },
});

const ROLES: Array<{ user: string; password: string; steps: Step[] }> = [
  { user: 'agente1', password: 'agente123', steps: [openAccount, backToQueue, nav('open-handover', 'handover'), backToQueue] },
  {
    user: 'lider',
    password: 'lider123',
    steps: [
      openAccount,
      nav('open-live', 'live-board'),
      nav('open-activity', 'activity'),
      nav('open-approvals', 'approvals-screen'),
      nav('open-violations', 'violations'),
      nav('open-cash', 'cash-reconciliation'),
      backToQueue,
    ],
  },
  {
    user: 'admin',
    password: 'admin123',
    steps: [
      openAccount,
      nav('open-live', 'live-board'),
      nav('open-activity', 'activity'),
      nav('open-approvals', 'approvals-screen'),
      nav('open-violations', 'violations'),
      nav('open-compliance-admin', 'compliance-admin'),
      nav('open-users-admin', 'users-admin'),
      nav('open-templates-admin', 'templates-admin'),
      nav('open-strategies-admin', 'strategies-admin'),
      nav('open-providers-admin', 'providers-admin'),
      nav('open-wipes-admin', 'wipes-admin'),
      nav('open-risk-models', 'risk-models-admin'),
      backToQueue,
    ],
  },
];

describe('layout: nothing overflows horizontally at 1280×720 and 1440×900', () => {
  let stack: WorkstationStack;
  const shots = process.env.SCREENSHOTS;
  beforeAll(async () => {
    stack = await startWorkstationStack({ accounts: 40, seed: 11 });
    if (shots) mkdirSync(shots, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('the page has an icon the web host serves (no favicon 404)', async () => {
    const icon = await stack.page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href;
      if (!href) return null;
      const r = await fetch(href);
      return { status: r.status, type: r.headers.get('content-type'), bytes: (await r.arrayBuffer()).byteLength };
    });
    expect(icon).toMatchObject({ status: 200, type: 'image/png' });
    expect(icon!.bytes).toBeGreaterThan(100);
  });

  for (const role of ROLES) {
    it(`${role.user}: every screen fits at both sizes`, async () => {
      const { page } = stack;
      const found: string[] = [];
      const check = async (screen: string) => {
        for (const viewport of VIEWPORTS) {
          await page.setViewportSize(viewport);
          await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
          const label = `${role.user} ${screen} ${viewport.width}×${viewport.height}`;
          found.push(...(await horizontalOverflow(page)).map((f) => `${label}: ${f}`));
          if (shots) await page.screenshot({ path: join(shots, `${role.user}-${screen}-${viewport.width}.png`) });
        }
      };
      await page.setViewportSize(VIEWPORTS[0]);
      await loginThroughUi(page, role.user, role.password);
      await check('queue');
      for (const step of role.steps) {
        await step.open(page);
        await check(step.name);
      }
      await page.getByRole('button', { name: 'Cerrar sesión' }).click();
      await page.locator('form.login-card input[name="username"]').waitFor();
      expect(found).toEqual([]);
      expect(stack.pageErrors).toEqual([]);
    }, 240_000);
  }
});
