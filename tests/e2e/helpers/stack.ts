import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { installPageClock, launchChromium } from '../../helpers/browser';
import { startTestServer } from '../../helpers/server';
import { createWorkstation } from '../../../src/main/services';
import { startWebHost } from '../../../src/main/webhost';

export const RENDERER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../out/renderer');

/** The e2e tests drive the built bundle, exactly what the web host and Electron serve. */
export function assertRendererBuilt(): void {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(
      `out/renderer/index.html is missing: build the renderer first with \`npx electron-vite build\` ` +
        `(npm test does it before the e2e suite).`,
    );
  }
}

export interface StackOptions {
  /** Demo accounts seeded on the central server (spread over agente1..3). */
  accounts?: number;
  seed?: number;
}

/**
 * The real product on loopback: the central server on PGlite with demo data, a workstation
 * (better-sqlite3 store + sync engine) on a temp dir, the web host serving out/renderer, and
 * Debian's Chromium pointed at it.
 */
export async function startWorkstationStack(opts: StackOptions = {}) {
  assertRendererBuilt();
  const server = await startTestServer({ backend: 'pglite', seed: { accounts: opts.accounts ?? 300, seed: opts.seed ?? 7 } });
  const dataDir = mkdtempSync(join(tmpdir(), 'ws-e2e-'));
  const workstation = await createWorkstation({ dataDir, defaultServerUrl: server.url });
  const webHost = await startWebHost({ workstation, rendererDir: RENDERER_DIR, host: '127.0.0.1' });
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await installPageClock(page);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(webHost.url);
    return {
      server,
      workstation,
      webHost,
      browser,
      page,
      pageErrors,
      dataDir,
      async close() {
        await browser?.close().catch(() => {});
        await webHost.close().catch(() => {});
        await workstation.close();
        await server.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    await webHost.close().catch(() => {});
    await workstation.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
export type WorkstationStack = Awaited<ReturnType<typeof startWorkstationStack>>;

/** Logs in through the login screen and waits for the queue to show synced rows. */
export async function loginThroughUi(page: Page, username: string, password: string): Promise<void> {
  // scoped to the login form: the users admin screen has fields with the same names, and a
  // logout that has not finished yet would otherwise get them filled instead
  const form = page.locator('form.login-card');
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill(password);
  await form.locator('button[type="submit"]').click();
  await page.getByTestId('queue-row').first().waitFor({ timeout: 60_000 });
}

/** Waits until the top bar reports the given pending count (and, if asked, a mode). */
export async function waitForSync(page: Page, pending: number, mode?: 'online' | 'offline', timeout = 60_000): Promise<void> {
  const sel = `[data-testid="sync-status"][data-pending="${pending}"]${mode ? `[data-mode="${mode}"]` : ''}`;
  await page.locator(sel).waitFor({ timeout });
}
