import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horizontalOverflow } from './helpers/overflow';
import { loginThroughUi, startWorkstationStack, type WorkstationStack } from './helpers/stack';

/**
 * The agent's workstation with no PBX listening (the demo's ws://127.0.0.1:8088, nothing there):
 * the banner says what is wrong and where, when the next attempt is, and tries at once on
 * "Reintentar ahora"; each call button says why it is off and leads to logging a call dialled by hand.
 */
describe('no PBX: said in words, retried with back-off, calls logged by hand', () => {
  let stack: WorkstationStack;
  beforeAll(async () => {
    stack = await startWorkstationStack({ accounts: 20, seed: 9 });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('names the PBX, backs off, retries on demand, and opens the outcome form for a manual call', async () => {
    const { page } = stack;
    await page.setViewportSize({ width: 1280, height: 720 });
    const attempts: number[] = [];
    page.on('websocket', (ws) => {
      if (ws.url().startsWith('ws://127.0.0.1:8088')) attempts.push(Date.now());
    });
    await loginThroughUi(page, 'agente1', 'agente123');
    const banner = page.getByTestId('pbx-banner');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toContain('La central telefónica no responde en ws://127.0.0.1:8088');
    expect(await page.getByTestId('softphone-registration').textContent()).toContain('Sin conexión con la central');

    // backing off: after the first attempts the next one is seconds away, and the wait grows
    await page.waitForFunction(
      () => /Nuevo intento en ([4-9]|\d\d+) segundos/.test(document.querySelector('[data-testid="pbx-next-retry"]')?.textContent ?? ''),
      undefined,
      { timeout: 40_000 },
    );
    const before = attempts.length;
    expect(before).toBeGreaterThan(1);
    expect(before).toBeLessThan(8);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    // timers only fire late, never early: the last wait is at least the doubled delay (0.5 → 1 → 2 s)
    expect(gaps.at(-1)!).toBeGreaterThanOrEqual(1_900);

    // "Reintentar ahora" tries at once
    await page.getByTestId('pbx-retry').click();
    await expect.poll(() => attempts.length, { timeout: 5_000 }).toBeGreaterThan(before);

    // on the account: the reason beside the call button, and the way to log a call dialled by hand
    await page.getByTestId('queue-row').first().locator('.debtor-name').click();
    await page.getByTestId('account-screen').waitFor();
    const phone = page
      .getByTestId('contact-point')
      .filter({ has: page.getByTestId('call-button') })
      .first();
    expect(await phone.getByTestId('call-button').isDisabled()).toBe(true);
    expect(await phone.getByTestId('call-unavailable').textContent()).toContain('Sin central telefónica');
    const number = await phone.getByTestId('call-button').getAttribute('data-number');
    await phone.getByTestId('log-manual-call').click();
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? ''), { timeout: 5_000 })
      .toBe('disposition');
    expect(await page.locator('select[name="channel"]').inputValue()).toBe('call');
    const chosen = await page.locator('select[name="contactPointId"] option:checked').textContent();
    expect(chosen).toContain(number!);
    expect(await page.locator('input[name="direction"][value="outbound"]').isChecked()).toBe(true);
    expect(await page.getByTestId('outcome-manual-dial').isVisible()).toBe(true);

    // "Ajustes del teléfono": a panel of labelled fields in dark ink on white, nothing past the window
    await page.getByTestId('softphone-settings').click();
    const form = page.getByTestId('sip-settings');
    await form.waitFor();
    const ink = await form
      .locator('label')
      .first()
      .evaluate((l) => getComputedStyle(l).color);
    expect(ink).toBe('rgb(27, 35, 48)');
    const rows = await form
      .locator('input[name="wsUrl"], input[name="domain"], input[name="extension"]')
      .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(new Set(rows).size).toBeGreaterThan(1);
    expect(await horizontalOverflow(page)).toEqual([]);
    if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/agente1-sip-settings-1280.png` });
    await form.locator('input[name="wsUrl"]').fill('http://no-es-ws');
    await form.locator('button[type="submit"]').click();
    await form.locator('#sip-err-wsUrl').waitFor();
    expect(await form.locator('#sip-err-wsUrl').textContent()).toBe('Una dirección que empiece por ws:// o wss://');
    expect(stack.pageErrors).toEqual([]);
  }, 180_000);
});
