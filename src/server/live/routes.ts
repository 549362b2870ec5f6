import { canSeeAgent, scopeFor, type Scope } from '../access/visibility';
import { recordOrgAudit } from '../audit/org-audit';
import { userForToken, type AuthUser } from '../auth/sessions';
import type { Db } from '../db';
import { notFound } from '../http/errors';
import { defineRoute } from '../http/route';
import { ROUTES } from '../../shared/api/routes';
import { ALERTS_EVERY_MS, BoardAgent, type LiveStreamEvent } from '../../shared/live/presence';
import { readBoard, liveSettings } from './board';
import { hubFor } from './hub';
import { recordPresence } from './presence';
import { readTimeline } from './timeline';

/** Re-read who the lead may see and whether the session still holds, this often, on an open stream. */
const RECHECK_MS = 30_000;
/** A comment line this often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

async function agentInScope(db: Db, scope: Scope, id: string): Promise<{ id: string; displayName: string }> {
  const [u] = await db.query<{ id: string; displayName: string }>(
    `SELECT id, display_name AS "displayName" FROM users WHERE id = $1 AND org_id = $2`,
    [id, scope.orgId],
  );
  // another team's agent is as absent as another organisation's: 404, nothing told
  if (!u || !canSeeAgent(scope, u.id)) throw notFound('agent');
  return u;
}

/**
 * Open streams by HTTP server: a closing server ends them (they are never idle, so Fastify's close
 * would otherwise wait on them for ever); the workstation reconnects to another instance.
 */
const openStreams = new WeakMap<object, Set<() => void>>();
export function endLiveStreams(httpServer: object): void {
  for (const end of [...(openStreams.get(httpServer) ?? [])]) end();
}

function bearer(h: string | undefined): string | null {
  return (h && /^Bearer\s+(\S+)$/i.exec(h)?.[1]) || null;
}

export const liveRoutes = [
  defineRoute({
    ...ROUTES.livePresence,
    summary: "The agent's workstation: a heartbeat or a change of state (available, on a call, wrap-up, paused with a reason)",
    tags: ['live'],
    access: ['agent', 'team_lead'],
    async handler({ db, user, body }) {
      return recordPresence(db, user, body, Date.now());
    },
  }),
  defineRoute({
    ...ROUTES.liveBoard,
    summary: "The live board: each agent's state and the lead's alerts (team lead: their team; admin: everyone)",
    tags: ['live'],
    access: ['team_lead', 'admin'],
    async handler({ db, user }) {
      return readBoard(db, await scopeFor(db, user));
    },
  }),
  defineRoute({
    ...ROUTES.agentTimeline,
    summary: "One agent's day in the organisation's time zone: calls, messages, visits, outcomes, promises, notes, pauses",
    tags: ['live'],
    access: ['team_lead', 'admin'],
    async handler({ db, user, params, query }) {
      const scope = await scopeFor(db, user);
      const agent = await agentInScope(db, scope, params.id);
      return readTimeline(db, scope, agent, query.day, query.kinds);
    },
  }),
  defineRoute({
    ...ROUTES.liveSettings,
    summary: "The live board's alert thresholds",
    tags: ['live'],
    access: ['team_lead', 'admin'],
    async handler({ db, user }) {
      return liveSettings(db, user.orgId);
    },
  }),
  defineRoute({
    ...ROUTES.saveLiveSettings,
    summary: "Replaces the live board's alert thresholds (audited as live.settings)",
    tags: ['live'],
    access: ['admin'],
    async handler({ db, user, body }) {
      return db.transaction(async (tx) => {
        const before = await liveSettings(tx, user.orgId);
        await tx.query(`UPDATE organizations SET settings = jsonb_set(settings, '{live}', $2::jsonb) WHERE id = $1`, [
          user.orgId,
          JSON.stringify(body),
        ]);
        await recordOrgAudit(tx, { orgId: user.orgId, actorId: user.id, action: 'live.settings', before, after: body });
        return body;
      });
    },
  }),
  defineRoute({
    ...ROUTES.liveStream,
    summary:
      'Server-sent events: the board (`event: board`) at once and every 30 s with fresh alerts, then each agent of the scope as it changes (`event: agent`), from any server instance',
    tags: ['live'],
    access: ['team_lead', 'admin'],
    responseContentType: 'text/event-stream',
    sendsItself: true,
    async handler({ db, user, request, reply }) {
      let scope = await scopeFor(db, user);
      const raw = reply.raw;
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-content-type-options': 'nosniff',
        // proxies (nginx) must not buffer the stream
        'x-accel-buffering': 'no',
      });
      let closed = false;
      const send = (ev: LiveStreamEvent) => {
        if (!closed) raw.write(`event: ${ev.type}\ndata: ${JSON.stringify(ev.type === 'board' ? ev.board : ev)}\n\n`);
      };
      // subscribe before the snapshot: a change in between arrives twice rather than never
      const unsubscribe = await hubFor(db).subscribe(user.orgId, (payload) => {
        let msg: { agent: unknown; sentAt: number };
        try {
          msg = JSON.parse(payload) as typeof msg;
        } catch {
          return;
        }
        const agent = BoardAgent.safeParse(msg.agent);
        if (agent.success && canSeeAgent(scope, agent.data.userId)) send({ type: 'agent', agent: agent.data, sentAt: msg.sentAt });
      });
      const sendBoard = async () => send({ type: 'board', board: await readBoard(db, scope) });
      const end = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(keepalive);
        clearInterval(alerts);
        clearInterval(recheck);
        openStreams.get(request.server.server)?.delete(end);
        raw.end();
      };
      raw.on('close', end);
      let streams = openStreams.get(request.server.server);
      if (!streams) openStreams.set(request.server.server, (streams = new Set()));
      streams.add(end);
      const keepalive = setInterval(() => !closed && raw.write(': keepalive\n\n'), KEEPALIVE_MS);
      const alerts = setInterval(() => void sendBoard().catch(() => {}), ALERTS_EVERY_MS);
      // a logout, a disabled user, a team change act on an open stream within RECHECK_MS
      const token = bearer(request.headers.authorization);
      const recheck = setInterval(() => {
        void (async () => {
          const now: AuthUser | null = token ? await userForToken(db, token) : null;
          if (!now || now.disabled || now.role !== user.role) return end();
          scope = await scopeFor(db, now);
        })().catch(() => end());
      }, RECHECK_MS);
      try {
        await sendBoard();
      } catch (e) {
        request.log.error(e);
        end();
      }
      return reply;
    },
  }),
];
