import { parseMutation, type MutationEnvelope, type ParsedMutation } from '../../shared/sync/mutations';
import type { MutationResult, PushRequest, PushResponse } from '../../shared/sync/protocol';
import { scopeFor } from '../access/visibility';
import type { AuthUser } from '../auth/sessions';
import type { Db } from '../db';
import { writeTransaction } from '../db/write';
import { HttpError } from '../http/errors';
import { APPLIERS, MutationRejected } from './appliers';
import type { ApplyContext } from './appliers/types';

/**
 * Applies a client's mutations exactly once, in its order. The whole batch is one transaction:
 * the client's last_mutation_id is committed with the data it covers, so a lost answer and a
 * resend can never apply anything twice. Each mutation runs in its own savepoint, so one that
 * is refused is rolled back alone, recorded, acknowledged, and the queue moves on.
 */
export async function push(db: Db, user: AuthUser, req: PushRequest): Promise<PushResponse> {
  return writeTransaction(db, async (tx) => {
    await tx.query(
      'INSERT INTO sync_clients (client_id, user_id) VALUES ($1, $2) ON CONFLICT (client_id) DO NOTHING',
      [req.clientId, user.id],
    );
    // Two pushes of the same client (a retry racing the original) wait for each other here.
    const [client] = await tx.query<{ userId: string; last: number }>(
      'SELECT user_id AS "userId", last_mutation_id AS last FROM sync_clients WHERE client_id = $1 FOR UPDATE',
      [req.clientId],
    );
    if (!client) throw new Error('sync client row vanished');
    if (client.userId !== user.id) throw new HttpError(403, 'client_not_yours', 'this client id belongs to another user', 'clientId');

    let expected = client.last + 1;
    for (const m of req.mutations) {
      if (m.id <= client.last) continue;
      if (m.id !== expected) {
        throw new HttpError(409, 'mutation_gap', `mutation ${m.id} received but ${expected} expected next`, 'mutations', {
          lastMutationId: client.last,
        });
      }
      expected++;
    }

    const ctx: ApplyContext = { tx, user, scope: await scopeFor(tx, user) };
    const results: MutationResult[] = [];
    let last = client.last;
    for (const m of req.mutations) {
      if (m.id <= client.last) {
        results.push({ id: m.id, status: 'duplicate' });
        continue;
      }
      const refusal = await applyOne(ctx, m);
      if (refusal) {
        await tx.query(
          `INSERT INTO sync_rejections (client_id, mutation_id, name, code, message, field, args)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) ON CONFLICT DO NOTHING`,
          [req.clientId, m.id, m.name, refusal.code, refusal.message, refusal.field ?? null, JSON.stringify(m.args ?? null)],
        );
        results.push({ id: m.id, status: 'rejected', error: refusal });
      } else {
        results.push({ id: m.id, status: 'applied' });
      }
      last = m.id;
    }
    await tx.query(
      'UPDATE sync_clients SET last_mutation_id = $2, last_seen_at = now() WHERE client_id = $1', [req.clientId, last],
    );
    return { lastMutationId: last, results };
  });
}

type Refusal = { code: string; message: string; field?: string };

/** null when applied; the refusal otherwise. Unexpected errors (database down …) propagate: 5xx, retry. */
async function applyOne(ctx: ApplyContext, m: MutationEnvelope): Promise<Refusal | null> {
  const parsed = parseMutation(m);
  if (!parsed.ok) return { code: parsed.code, message: parsed.message, ...(parsed.field ? { field: parsed.field } : {}) };
  try {
    await ctx.tx.transaction((sp) => run({ ...ctx, tx: sp }, parsed.mutation));
    return null;
  } catch (e) {
    if (e instanceof MutationRejected) return { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) };
    const code = (e as { code?: unknown }).code;
    // Integrity (23…) and data (22…) errors are the mutation's fault, not the server's.
    if (typeof code === 'string' && (code.startsWith('23') || code.startsWith('22'))) {
      return { code: 'invalid_args', message: `${m.name}: ${(e as Error).message}` };
    }
    throw e;
  }
}

function run(ctx: ApplyContext, m: ParsedMutation): Promise<void> {
  // The union is correlated by name; TypeScript cannot follow that through an indexed lookup.
  const apply = APPLIERS[m.name] as (c: ApplyContext, a: typeof m.args) => Promise<void>;
  return apply(ctx, m.args);
}
