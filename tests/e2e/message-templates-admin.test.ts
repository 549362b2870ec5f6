import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createWorkstation, type Workstation } from '../../src/main/services';
import { startWebHost, type WebHost } from '../../src/main/webhost';
import { installPageClock, launchChromium } from '../helpers/browser';
import { call, login, startTestServer, type TestServer } from '../helpers/server';
import { importRows, row } from '../integration/compliance/helpers';
import { assertRendererBuilt, loginThroughUi, RENDERER_DIR, waitForSync } from './helpers/stack';

/** One person at one workstation: its own data dir, web host and browser context. */
interface Desk {
  workstation: Workstation;
  webHost: WebHost;
  page: Page;
  dataDir: string;
  errors: string[];
}

/**
 * The administrator edits the e-mail template on the "Plantillas" screen (live preview with a
 * sample debtor); the agent, at another workstation with the account open, sees the new subject
 * and body rendered with their debtor's data after their next sync. A WhatsApp template the admin
 * created without Meta's approval is marked in the agent's panel and cannot be sent.
 */
describe('message templates: admin edits, agent previews', () => {
  let server: TestServer;
  let browser: Browser;
  const desks: Desk[] = [];

  async function openDesk(): Promise<Desk> {
    const dataDir = mkdtempSync(join(tmpdir(), 'ws-e2e-tpl-'));
    const workstation = await createWorkstation({ dataDir, defaultServerUrl: server.url });
    const webHost = await startWebHost({ workstation, rendererDir: RENDERER_DIR, host: '127.0.0.1' });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await installPageClock(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(webHost.url);
    const desk = { workstation, webHost, page, dataDir, errors };
    desks.push(desk);
    return desk;
  }

  beforeAll(async () => {
    assertRendererBuilt();
    server = await startTestServer({ backend: 'pglite', seed: { accounts: 10, seed: 5 } });
    await importRows(server, [
      row({
        debtorExternalId: 'E2E-TPL-1',
        name: 'Lucía Restrepo Gil',
        nationalId: '43999777',
        accountRef: 'E2E-TPL-ACC',
        phones: ['+573157778800'],
        whatsapp: ['+573157778800'],
        emails: ['lucia@example.com'],
        assignedAgent: 'agente1',
      }),
    ]);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    for (const d of desks) {
      await d.webHost.close().catch(() => {});
      await d.workstation.close();
      rmSync(d.dataDir, { recursive: true, force: true });
    }
    await server?.close();
  });

  it('the agent sees the edited subject and body on the next sync; an unapproved WhatsApp template cannot be sent', async () => {
    const agent = await openDesk();
    await loginThroughUi(agent.page, 'agente1', 'agente123');
    await waitForSync(agent.page, 0, 'online');
    await agent.page.getByTestId('queue-search').fill('Lucía');
    await agent.page.locator('[data-testid="queue-row"] .debtor-name', { hasText: 'Lucía Restrepo Gil' }).first().click();
    await agent.page.getByTestId('message-panel').waitFor();

    // e-mail: the subject is shown as the debtor will read it (the default one has no placeholders)
    await agent.page.getByTestId('msg-channel-email').click();
    const subject = agent.page.getByTestId('msg-preview-subject');
    await expect.poll(() => subject.textContent()).toContain('Estado de su obligación');

    // the administrator, at another workstation, edits the e-mail template
    const admin = await openDesk();
    await loginThroughUi(admin.page, 'admin', 'admin123');
    await admin.page.getByTestId('open-templates-admin').click();
    const screen = admin.page.getByTestId('templates-admin');
    await screen.waitFor();
    await screen.locator('[data-testid="tpl-row"][data-name="Estado de cuenta (correo)"] [data-testid="tpl-edit"]').click();
    const editor = admin.page.getByTestId('tpl-editor');
    // a typo is caught as the admin types, naming the field and the placeholder; save stays disabled
    await editor.locator('input[name="subject"]').fill('{{nombre}}, su saldo de {{saldo}}');
    const problem = admin.page.locator('[data-testid="tpl-problems"] li[data-field="subject"]');
    await problem.waitFor();
    expect(await problem.textContent()).toBe('Asunto del correo: variable desconocida {{saldo}}; use solo las disponibles.');
    expect(await admin.page.getByTestId('tpl-save').isDisabled()).toBe(true);

    await editor.locator('input[name="subject"]').fill('{{nombre}}, su saldo de {{monto}}');
    await editor
      .locator('textarea[name="body"]')
      .fill('Estimado(a) {{nombre}}: su cuenta tiene {{dias_mora}} días de mora. Pague aquí: {{link}}');
    // live preview with the sample debtor
    expect(await admin.page.getByTestId('tpl-preview-subject').textContent()).toMatch(
      /^María Fernanda López, su saldo de \$\s?1\.850\.000$/,
    );
    expect(await admin.page.getByTestId('tpl-preview-body').textContent()).toMatch(
      // the debtor's own signed link is made when the message is sent: the preview names it
      /^Estimado\(a\) María Fernanda López: su cuenta tiene 3\d días de mora\. Pague aquí: \[enlace personal de autogestión\]$/,
    );
    await admin.page.getByTestId('tpl-save').click();
    await admin.page.getByTestId('tpl-saved').waitFor();
    await admin.page.getByTestId('tpl-audit-row').first().waitFor();
    expect(await admin.page.getByTestId('tpl-audit-row').first().textContent()).toMatch(/admin.*Estado de cuenta \(correo\).*Modificada/);

    // and creates a WhatsApp template Meta has not approved yet (allowed: it is only never sent)
    await admin.page.getByTestId('tpl-new').click();
    await editor.locator('input[name="name"]').fill('Aviso libre (WhatsApp)');
    await editor.locator('select[name="channel"]').selectOption('whatsapp');
    await editor.locator('textarea[name="body"]').fill('Hola {{nombre}}, comuníquese con nosotros: {{link}}');
    expect(await admin.page.getByTestId('tpl-unapproved').textContent()).toBe('Plantilla no aprobada por WhatsApp');
    await admin.page.getByTestId('tpl-save').click();
    await admin.page.locator('[data-testid="tpl-row"][data-name="Aviso libre (WhatsApp)"]').waitFor();

    const { token } = await login(server, 'admin', 'admin123');
    const auditRows = (await call(server, 'GET', '/api/v1/org/message-templates/audit', { token })).body;
    expect(auditRows[0]).toMatchObject({ action: 'create', after: { name: 'Aviso libre (WhatsApp)', whatsapp: null } });
    expect(auditRows[1]).toMatchObject({
      action: 'update',
      username: 'admin',
      before: { subject: 'Estado de su obligación' },
      after: { subject: '{{nombre}}, su saldo de {{monto}}' },
    });

    // the agent's panel, still open, shows the new version after their next sync
    await agent.page.getByTestId('sync-now').click();
    await expect.poll(() => subject.textContent(), { timeout: 20_000 }).toMatch(/Lucía Restrepo Gil, su saldo de \$\s?120\.000\.000$/);
    expect(await agent.page.getByTestId('msg-preview-body').textContent()).toMatch(
      /^Estimado\(a\) Lucía Restrepo Gil: su cuenta tiene \d+ días de mora\. Pague aquí: \[enlace personal de autogestión\]$/,
    );
    expect(await subject.textContent()).not.toContain('{{');

    // WhatsApp: the template the admin created without a Meta approval is marked and cannot be sent
    await agent.page.getByTestId('msg-channel-whatsapp').click();
    await agent.page.getByTestId('msg-template').selectOption({ label: 'Aviso libre (WhatsApp) — Plantilla no aprobada por WhatsApp' });
    const unapproved = agent.page.getByTestId('msg-unapproved');
    await unapproved.waitFor();
    expect(await unapproved.textContent()).toContain('Plantilla no aprobada por WhatsApp');
    expect(await agent.page.getByTestId('msg-send').isDisabled()).toBe(true);
    // an approved one (the demo organisation's) can be
    await agent.page.getByTestId('msg-template').selectOption({ label: 'Recordatorio de pago (WhatsApp)' });
    await unapproved.waitFor({ state: 'detached' });
    await agent.page.waitForFunction(() => !(document.querySelector('[data-testid="msg-send"]') as HTMLButtonElement).disabled);

    expect(agent.errors).toEqual([]);
    expect(admin.errors).toEqual([]);
  }, 180_000);
});
