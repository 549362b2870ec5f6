import { PROTOCOL_VERSION, PullResponse } from '../../shared/sync/protocol';
import { HttpError } from '../http/errors';
import { ROUTES } from '../../shared/api/routes';
import { defineRoute } from '../http/route';
import { pull, SerializedPull } from './pull';
import { push } from './push';

/** Checked before the body is parsed: a newer client's body may not parse at all. */
function requireProtocol(raw: { body: unknown }): void {
  const version = (raw.body as { protocolVersion?: unknown } | null)?.protocolVersion;
  if (typeof version === 'number' && version !== PROTOCOL_VERSION) {
    throw new HttpError(
      426,
      'update_required',
      `this server speaks sync protocol ${PROTOCOL_VERSION}, the client ${version}`,
      'protocolVersion',
      {
        protocolVersion: PROTOCOL_VERSION,
      },
    );
  }
}

export const syncRoutes = [
  defineRoute({
    ...ROUTES.syncPush,
    summary: "Apply the client's queued mutations exactly once, in order",
    tags: ['sync'],
    access: 'user',
    errors: [403, 409, 426],
    bodyLimit: 32 * 1024 * 1024,
    guard: requireProtocol,
    async handler({ db, user, body }) {
      return push(db, user, body);
    },
  }),
  defineRoute({
    ...ROUTES.syncPull,
    summary: 'Changes visible to the caller since the cursor',
    tags: ['sync'],
    access: 'user',
    errors: [403, 426],
    // Pages of thousands of accounts: the shape is covered by the sync tests, not re-checked per answer.
    trustResponse: true,
    guard: requireProtocol,
    async handler({ db, user, body, reply }) {
      const res = await pull(db, user, body);
      if (!(res instanceof SerializedPull)) return res;
      // a JSON string with a JSON content type goes out as it is (Fastify does not serialise it)
      void reply.type('application/json; charset=utf-8');
      return res.json as unknown as PullResponse;
    },
  }),
];
