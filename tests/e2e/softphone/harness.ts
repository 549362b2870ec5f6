import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { installPageClock } from '../../helpers/browser';
import { CallAttemptInput, SipCredentials, type ComplianceDecision } from '../../../src/shared/api/contract';
import type { AccountStatus } from '../../../src/shared/domain/enums';
import { checkContact } from '../../../src/shared/rules/compliance';

/**
 * Node side of the softphone engine tests and the bench: bundles the engine test page and the
 * debtor phone with esbuild, serves them on 127.0.0.1, and answers the page's API calls. The
 * compliance answer comes from the real rule in src/shared/rules; attempts are recorded as sent.
 */

const PAGES = fileURLToPath(new URL('../pages/', import.meta.url));

export async function bundlePages(): Promise<{ dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'softphone-pages-'));
  await build({
    entryPoints: { agent: join(PAGES, 'agent-harness.ts'), debtor: join(PAGES, 'debtor-phone.ts') },
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    sourcemap: false,
    logLevel: 'error',
  });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface FixtureContactPoint {
  id: string;
  value: string;
  invalid?: boolean;
  doNotContact?: boolean;
}
export interface FixtureAccount {
  id: string;
  debtorName: string;
  status?: AccountStatus;
  contactPoints: FixtureContactPoint[];
}

export interface TestApiServer {
  url: string;
  attempts: CallAttemptInput[];
  checks: ComplianceDecision[];
  setCredentials(c: SipCredentials | null): void;
  /** The instant the compliance check is evaluated at (the softphone is tested, not the clock). */
  setClock(at: Date): void;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
}

const html = (script: string) =>
  `<!doctype html><meta charset="utf-8"><title>${script}</title><script type="module" src="/${script}.js"></script>`;

/** A Tuesday 10:00 in Bogotá, not a holiday: inside Colombia's calling hours. */
export const WORKING_HOURS = new Date('2026-11-24T15:00:00Z');

export async function startTestApiServer(opts: {
  pagesDir: string;
  credentials: SipCredentials | null;
  accounts: FixtureAccount[];
}): Promise<TestApiServer> {
  let creds = opts.credentials;
  let clock = WORKING_HOURS;
  const attempts: CallAttemptInput[] = [];
  const checks: ComplianceDecision[] = [];
  const handlers: Record<string, (input: unknown) => unknown> = {
    getSipCredentials: () => creds,
    logCallAttempt: (input) => {
      const parsed = CallAttemptInput.parse(input);
      attempts.push(parsed);
      return { activityId: parsed.id };
    },
    checkContact: (input) => {
      const { accountId, contactPointId } = input as { accountId: string; contactPointId: string | null };
      const account = opts.accounts.find((a) => a.id === accountId);
      if (!account) throw new Error(`unknown account ${accountId}`);
      const cp = account.contactPoints.find((c) => c.id === contactPointId) ?? null;
      const decision = checkContact({
        channel: 'call',
        contactPoint: cp ? { kind: 'phone', value: cp.value, invalid: cp.invalid ?? false, doNotContact: cp.doNotContact ?? false } : null,
        debtor: {
          id: `debtor-${account.id}`,
          country: 'CO',
          timeZone: 'America/Bogota',
          contactPrefs: { authorizedChannels: ['call'], preferredChannel: null, windows: [], preferredPaymentDay: null },
        },
        account: { id: account.id, status: account.status ?? 'active' },
        history: [],
        at: clock,
      });
      checks.push(decision);
      return decision;
    },
    findAccountByPhone: (input) => {
      const { phone } = input as { phone: string };
      const a = opts.accounts.find((x) => x.contactPoints.some((c) => c.value === phone));
      return a ? { accountId: a.id, debtorName: a.debtorName } : null;
    },
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      try {
        if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
          const h = handlers[url.pathname.slice(5)];
          if (!h) {
            res.writeHead(404).end('no such method');
            return;
          }
          const out = h(await readJson(req));
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out ?? null));
        } else if (url.pathname === '/agent.html' || url.pathname === '/debtor.html') {
          res.writeHead(200, { 'content-type': 'text/html' }).end(html(url.pathname.slice(1, -5)));
        } else if (url.pathname === '/agent.js' || url.pathname === '/debtor.js') {
          res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(opts.pagesDir, url.pathname.slice(1))));
        } else {
          res.writeHead(404).end();
        }
      } catch (e) {
        res.writeHead(500).end(e instanceof Error ? e.message : String(e));
      }
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    attempts,
    checks,
    setCredentials: (c) => {
      creds = c;
    },
    setClock: (at) => {
      clock = at;
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export async function openPage(browser: Browser, url: string, global: 'agent' | 'debtorPhone'): Promise<Page> {
  const ctx = await browser.newContext({ permissions: ['microphone'] });
  const page = await ctx.newPage();
  await installPageClock(page);
  await page.goto(url);
  await page.waitForFunction((g) => g in window, global);
  return page;
}

export async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000, label = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await fn();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await fn();
  }
  return last;
}
