import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../src/main/sync/transport';
import { call, login, startTestServer, type TestServer } from '../../helpers/server';
import { openWorkstation } from './helpers';

/**
 * A sync with nothing new is one request: what the workstation caches beside its store (policies,
 * templates, compliance rules, its approval requests) is fetched only when the pull's token for it
 * changed — and then at once, on that sync.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ backend: 'pglite', seed: { accounts: 20 } });
});
afterAll(async () => {
  await server?.close();
});

describe('organisation data follows the pull', () => {
  it('an idle sync asks only for the pull; a change of policies, templates or rules fetches that one, once', async () => {
    const paths: string[] = [];
    const recording: FetchLike = (url, init) => {
      paths.push(new URL(url).pathname);
      return fetch(url, init);
    };
    const { ws, cleanup } = await openWorkstation(server.url, undefined, { fetch: recording, tickMs: 3_600_000 });
    // background fetches after a sync: wait until no request has left for a while
    const quiet = async () => {
      for (let n = paths.length; ; n = paths.length) {
        await new Promise((r) => setTimeout(r, 250));
        if (paths.length === n) return;
      }
    };
    const cycle = async () => {
      paths.length = 0;
      await ws.handlers.syncNow(undefined);
      await quiet();
      return [...paths].sort();
    };
    try {
      await ws.handlers.login({ username: 'agente1', password: 'agente123', serverUrl: server.url });
      await ws.handlers.syncNow(undefined);
      await quiet();
      await cycle(); // whatever the first one left stale (defaults created by the first template list)
      expect(await cycle()).toEqual(['/api/v1/sync/pull']);

      const lead = (await login(server, 'lider', 'lider123')).token;
      const admin = (await login(server, 'admin', 'admin123')).token;
      const policies = await call(server, 'GET', '/api/v1/collections/policies', { token: lead });
      const changed = structuredClone(policies.body);
      changed.promisePolicies[0].minPercentOfBalance += 1;
      expect((await call(server, 'PUT', '/api/v1/collections/policies', { token: admin, body: changed })).status).toBe(200);
      // the security policy lives in the same organisation settings: the same token fetches both
      expect(await cycle()).toEqual(['/api/v1/collections/policies', '/api/v1/org/security', '/api/v1/sync/pull']);
      expect(await cycle()).toEqual(['/api/v1/sync/pull']);

      await server.db.query(`UPDATE message_templates SET updated_at = now() + interval '1 second' WHERE org_id = $1`, [
        server.seed!.orgId,
      ]);
      expect(await cycle()).toEqual(['/api/v1/messages/templates', '/api/v1/sync/pull']);

      const rules = await call(server, 'GET', '/api/v1/org/compliance', { token: admin });
      expect(
        (
          await call(server, 'PUT', '/api/v1/org/compliance', {
            token: admin,
            body: { ...rules.body.rules, dncNumbers: ['+573009998877'] },
          })
        ).status,
      ).toBe(200);
      expect(await cycle()).toEqual(['/api/v1/compliance/rules', '/api/v1/sync/pull']);
      expect(await cycle()).toEqual(['/api/v1/sync/pull']);
    } finally {
      await ws.close();
      cleanup();
    }
  });
});
