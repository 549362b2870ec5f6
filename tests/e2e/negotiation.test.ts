import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueQuery } from '../../src/shared/api/contract';
import { createWorkstation, type Workstation } from '../../src/main/services';
import { startWebHost } from '../../src/main/webhost';
import { minorToDecimal } from '../../src/shared/domain/money';
import { loginThroughUi, RENDERER_DIR, startWorkstationStack, waitForSync, type WorkstationStack } from './helpers/stack';

/**
 * Negotiation with approval through the real UI: the agent proposes a plan beyond their authority
 * while the central server is down, reconnects; the team lead (second workstation, second browser
 * context) approves it on the Aprobaciones screen; the agent sees the decision and the series.
 */
let stack: WorkstationStack;
let leadWs: Workstation;
let leadHost: Awaited<ReturnType<typeof startWebHost>>;
let leadContext: BrowserContext;
let leadPage: Page;
let leadDir: string;

beforeAll(async () => {
  stack = await startWorkstationStack({ accounts: 120, seed: 5 });
  leadDir = mkdtempSync(join(tmpdir(), 'ws-e2e-lead-'));
  leadWs = await createWorkstation({ dataDir: leadDir, defaultServerUrl: stack.server.url });
  leadHost = await startWebHost({ workstation: leadWs, rendererDir: RENDERER_DIR, host: '127.0.0.1' });
  leadContext = await stack.browser.newContext({ viewport: { width: 1400, height: 900 } });
  leadPage = await leadContext.newPage();
  await leadPage.goto(leadHost.url);
}, 180_000);

afterAll(async () => {
  await leadContext?.close().catch(() => {});
  await leadHost?.close().catch(() => {});
  await leadWs?.close();
  if (leadDir) rmSync(leadDir, { recursive: true, force: true });
  await stack?.close();
});

describe('negotiation with approval (e2e)', () => {
  it('offline plan outside authority → reconnect → team lead approves → agent sees the approved series', async () => {
    const { page, server, workstation } = stack;
    await loginThroughUi(page, 'agente1', 'agente123');
    await waitForSync(page, 0, 'online');
    const rows = (
      await workstation.handlers.listQueue(QueueQuery.parse({ sort: 'priority', dir: 'desc', offset: 0, limit: 200, status: 'active' }))
    ).rows;
    const row = rows.find((r) => r.currency === 'COP' && r.balanceMinor >= 2_000_000);
    if (!row) throw new Error('no COP account of 2 000 000 or more');
    await page.getByTestId('queue-search').fill(row.externalRef);
    await page.locator(`[data-testid="queue-row"][data-account-id="${row.accountId}"] .debtor-name`).click();
    await page.getByTestId('account-screen').waitFor();
    const panel = page.getByTestId('negotiation');
    await panel.getByTestId('neg-quote').waitFor({ timeout: 30_000 });

    await server.stop();
    await panel.getByTestId('neg-installments').fill('18');
    await panel.getByTestId('neg-down').fill(minorToDecimal(Math.ceil(row.balanceMinor * 0.06), 'COP'));
    await panel.locator('[data-testid="neg-verdict"][data-verdict="needs_approval"]').waitFor();
    await expect(panel.getByTestId('neg-submit').textContent()).resolves.toBe('Enviar a aprobación');
    // the lead decides on the agent's reasons: the request is not sent without them
    await panel.getByTestId('neg-submit').click();
    await panel.getByTestId('neg-justification-error').waitFor();
    await expect(panel.locator('[data-testid="my-approvals"] li').count()).resolves.toBe(0);
    await panel.getByTestId('neg-justification').fill('Perdió el empleo; 18 cuotas caben en su ingreso actual.');
    await panel.getByTestId('neg-submit').click();
    await panel.getByTestId('neg-notice').waitFor();
    // offline, the notice says the request waits for the connection (online it says it was sent)
    await page.waitForFunction(() =>
      /^Sin conexión: .*al reconectar/.test(document.querySelector('[data-testid="neg-notice"]')?.textContent ?? ''),
    );
    await panel.locator('[data-testid="my-approvals"] li[data-status="pending"]').waitFor();
    await waitForSync(page, 1);

    await server.restart();
    await page.getByTestId('sync-now').click();
    await waitForSync(page, 0, 'online');
    // once the connection is back and the request has left, the same notice says it was sent
    await expect(panel.getByTestId('neg-notice').textContent()).resolves.toBe('Solicitud enviada al jefe de equipo.');

    // a callback of another account let pass 30 minutes ago without an attempt: the lead sees it
    const missed = rows.find((r) => r.accountId !== row.accountId)!;
    await server.db.query(`UPDATE accounts SET callback_at = now() - interval '30 minutes', callback_note = 'rellamar' WHERE id = $1`, [
      missed.accountId,
    ]);

    await loginThroughUi(leadPage, 'lider', 'lider123');
    await leadPage.getByTestId('open-approvals').click();
    const card = leadPage.getByTestId('approval').filter({ hasText: row.externalRef });
    await card.waitFor();
    await expect(card.getByTestId('policy-limits').textContent()).resolves.toMatch(/asesor hasta 6 cuotas/);
    await expect(card.getByTestId('approval-justification').textContent()).resolves.toContain('Perdió el empleo; 18 cuotas');
    await leadPage.screenshot({ path: '/tmp/negotiation-lead-inbox.png' });
    await expect(leadPage.getByTestId('missed-callbacks').textContent()).resolves.toContain(missed.externalRef);
    await card.getByTestId('approval-reason').fill('Ingresos verificados');
    await card.getByTestId('approve').click();
    await leadPage.getByTestId('approval').filter({ hasText: row.externalRef }).waitFor({ state: 'detached' });

    await page.getByTestId('sync-now').click();
    await panel.getByTestId('approval-notice').waitFor({ timeout: 30_000 });
    await expect(panel.getByTestId('approval-notice').textContent()).resolves.toMatch(
      /Plan aprobado por el jefe de equipo — Ingresos verificados/,
    );
    await page.getByTestId('approval-decided').waitFor();
    await page.screenshot({ path: '/tmp/negotiation-agent-notice.png' });
    // the agent dismisses the notice under the top bar; it does not come back on the next load
    await page.getByTestId('approval-dismiss').click();
    await page.getByTestId('approval-decided').waitFor({ state: 'detached' });
    const series = page.getByTestId('promise').filter({ has: page.locator('tbody tr:nth-child(19)') });
    await series.waitFor();
    await expect(series.locator('tbody tr').count()).resolves.toBe(19);
    await expect(panel.locator('[data-testid="my-approvals"] li[data-status="approved"]').count()).resolves.toBe(1);
    expect(stack.pageErrors).toEqual([]);
  }, 240_000);
});
