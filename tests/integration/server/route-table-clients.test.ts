import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstation } from '../../../src/main/services';
import { WorkstationError } from '../../../src/shared/api/contract';
import { call, login, startTestServer, type TestServer } from '../../helpers/server';
import { openWorkstation } from '../sync/helpers';

/**
 * The workstation's calls whose paths now come from the shared route table (hardship list and
 * decision, a debtor's data export), against the real server: what they send reaches the route
 * and what the route answers passes the table's schema.
 */
describe('workstation calls read from the route table', () => {
  let s: TestServer;
  const opened: { ws: Workstation; cleanup: () => void }[] = [];

  async function workstationOf(username: string, password: string): Promise<Workstation> {
    const o = await openWorkstation(s.url);
    opened.push(o);
    await o.ws.handlers.login({ username, password, serverUrl: s.url });
    return o.ws;
  }

  beforeAll(async () => {
    s = await startTestServer({ backend: 'pglite', seed: { accounts: 20 } });
  }, 120_000);
  afterAll(async () => {
    for (const o of opened) {
      await o.ws.close();
      o.cleanup();
    }
    await s?.close();
  });

  it('a team lead sets and lifts hardship and sees the list change', async () => {
    const lead = await workstationOf('lider', 'lider123');
    const { token } = await login(s, 'lider', 'lider123');
    const accounts = (await call(s, 'GET', '/api/v1/accounts?status=active&limit=1', { token })).body as { items: { id: string }[] };
    const accountId = accounts.items[0]!.id;
    expect((await lead.handlers.listHardship(undefined)).map((i) => i.accountId)).not.toContain(accountId);

    expect(await lead.handlers.decideHardship({ accountId, hardship: true, reason: 'pérdida de empleo' })).toBeNull();
    const listed = await lead.handlers.listHardship(undefined);
    expect(listed.find((i) => i.accountId === accountId)?.status).toBe('hardship');

    await lead.handlers.decideHardship({ accountId, hardship: false, reason: 'consiguió trabajo' });
    expect((await call(s, 'GET', `/api/v1/accounts/${accountId}`, { token })).body.account.status).toBe('active');
    // lifting again is the server's 409, carried to the workstation as an error
    await expect(lead.handlers.decideHardship({ accountId, hardship: false, reason: 'x' })).rejects.toBeInstanceOf(WorkstationError);
  });

  it("an administrator exports a debtor's data as the printable page", async () => {
    const admin = await workstationOf('admin', 'admin123');
    const { token } = await login(s, 'admin', 'admin123');
    const [debtor] = await s.db.query<{ id: string; name: string }>('SELECT id, name FROM debtors ORDER BY id LIMIT 1');
    const file = await admin.handlers.exportDebtorData({ debtorId: debtor!.id });
    expect(file.fileName).toMatch(/\.html$/);
    expect(file.html).toContain(debtor!.name.replace(/&/g, '&amp;'));
    // the same export the server serves
    expect((await call(s, 'GET', `/api/v1/privacy/debtors/${debtor!.id}/export`, { token })).status).toBe(200);
  });
});
