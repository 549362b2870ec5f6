import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startTestServer, type TestServer } from '../../helpers/server';
import { openWorkstation } from './helpers';

/** The workstation's login names the organisation when the server holds several; the code is remembered like the server address. */
describe.each(BACKENDS)('login with the organisation code (%s)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend, seed: { accounts: 5 } });
    await server.db!.query(`INSERT INTO organizations (name, country, time_zone) VALUES ('Segunda Cartera', 'MX', 'America/Mexico_City')`);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('without the code the login is refused as wrong credentials; with it, it works and is remembered', async () => {
    const [org] = await server.db!.query<{ code: string }>(`SELECT code FROM organizations WHERE name <> 'Segunda Cartera'`);
    const { ws, dataDir, cleanup } = await openWorkstation(server.url);
    try {
      await expect(ws.handlers.login({ username: 'agente1', password: 'agente123' })).rejects.toMatchObject({
        code: 'auth.invalid_credentials',
      });
      const session = await ws.handlers.login({ username: 'agente1', password: 'agente123', organization: ` ${org!.code.toUpperCase()} ` });
      expect(session.user.username).toBe('agente1');
      expect((await ws.handlers.getSettings(undefined)).organization).toBe(org!.code.toUpperCase());
      await ws.handlers.logout(undefined);
      await ws.close();
      // a restart keeps the code: the next login does not ask for it again
      const again = await openWorkstation(server.url, dataDir);
      try {
        expect((await again.ws.handlers.login({ username: 'agente1', password: 'agente123' })).user.username).toBe('agente1');
      } finally {
        await again.ws.close();
      }
    } finally {
      cleanup();
    }
  });
});
