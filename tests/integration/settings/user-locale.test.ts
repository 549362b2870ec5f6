import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstation } from '../../../src/main/services';
import { startTestServer, type TestServer } from '../../helpers/server';
import { openWorkstation } from '../sync/helpers';

/** The language is each user's preference on a shared machine; the login screen keeps the machine's. */
let s: TestServer;
let ws: Workstation;
let dataDir: string;
let cleanup: () => void;

beforeAll(async () => {
  s = await startTestServer({ backend: 'pglite', seed: { accounts: 4 } });
  ({ ws, dataDir, cleanup } = await openWorkstation(s.url));
}, 120_000);
afterAll(async () => {
  await ws?.close();
  cleanup?.();
  await s?.close();
});

const locale = async (w: Workstation = ws) => (await w.handlers.getSettings(undefined)).locale;
const signIn = (username: string, w: Workstation = ws) => w.handlers.login({ username, password: 'agente123', serverUrl: s.url });

describe('language per user', () => {
  it("one user's choice does not carry over to the next user on the same machine, and comes back at their next login", async () => {
    expect(await locale()).toBe('es');
    await signIn('agente1');
    await ws.handlers.saveSettings({ locale: 'en' });
    expect(await locale()).toBe('en');
    await ws.handlers.logout(undefined);
    // the login screen: the machine's language, not the last user's
    expect(await locale()).toBe('es');

    await signIn('agente2');
    expect(await locale()).toBe('es');
    await ws.handlers.logout(undefined);

    await signIn('agente1');
    expect(await locale()).toBe('en');
    await ws.handlers.logout(undefined);
  });

  it('a language chosen on the login screen is the machine’s, and survives a restart with the users’ own', async () => {
    await ws.handlers.saveSettings({ locale: 'en' });
    expect(await locale()).toBe('en');
    await ws.close();
    ({ ws } = await openWorkstation(s.url, dataDir));
    expect(await locale()).toBe('en');
    await signIn('agente3');
    // a user who never chose one reads the login screen's
    expect(await locale()).toBe('en');
    await ws.handlers.saveSettings({ locale: 'es' });
    await ws.handlers.logout(undefined);
    expect(await locale()).toBe('en');
    await signIn('agente3');
    expect(await locale()).toBe('es');
  });
});
