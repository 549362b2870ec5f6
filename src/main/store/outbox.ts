import type { z } from 'zod';
import { MUTATION_ARGS, parseMutation, type MutationEnvelope, type MutationName, type ParsedMutation } from '../../shared/sync/mutations';
import type { MutationResult } from '../../shared/sync/protocol';
import type { StoreCore } from './core';

export type LocalWrite = { [N in MutationName]: { name: N; args: z.input<(typeof MUTATION_ARGS)[N]> } }[MutationName];

export interface OutboxEntry {
  id: number;
  name: string;
  args: unknown;
  clientTime: string;
}
export interface RejectedEntry {
  mutationId: number;
  name: string;
  code: string;
  message: string;
  at: string;
}

export class InvalidWriteError extends Error {
  constructor(
    message: string,
    public readonly field: string | undefined,
  ) {
    super(message);
    this.name = 'InvalidWriteError';
  }
}

type OutboxRow = { id: number; name: string; args: string; client_time: string };
export type Outbox = ReturnType<typeof createOutbox>;

/** The agent's writes waiting for the server, applied locally at once and kept until acknowledged. */
export function createOutbox(core: StoreCore, afterWrite: () => void) {
  const { db } = core;
  const s = {
    append: db.prepare('INSERT INTO outbox (name, args, client_time) VALUES (?, ?, ?)'),
    pending: db.prepare(`SELECT id, name, args, client_time FROM outbox WHERE status = 'pending' ORDER BY id LIMIT ?`),
    pendingAll: db.prepare(`SELECT id, name, args, client_time FROM outbox WHERE status = 'pending' ORDER BY id`),
    pendingCount: db.prepare(`SELECT count(*) FROM outbox WHERE status = 'pending'`).pluck(),
    trim: db.prepare(`DELETE FROM outbox WHERE status = 'pending' AND id <= ?`),
    reject: db.prepare(`UPDATE outbox SET status = 'rejected', error = ? WHERE id = ?`),
    rejected: db.prepare(`SELECT id, name, error FROM outbox WHERE status = 'rejected' ORDER BY id`),
    issued: db.prepare(`SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0)`).pluck(),
    pendingIds: db.prepare(`SELECT id FROM outbox WHERE status = 'pending' ORDER BY id`).pluck(),
    renumber: db.prepare('UPDATE outbox SET id = ? WHERE id = ?'),
    setIssued: db.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'outbox'`),
    addIssued: db.prepare(
      `INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox', ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'outbox')`,
    ),
  };

  /**
   * The server has processed more of this client's mutations than this store ever made: the store
   * is an older copy of itself (restored from a backup, docs/field-collection.md). Its pending
   * mutations would carry ids the server already counted and be answered "duplicate" — lost — so
   * they move above the server's last id first. Facts carry their own ids, so one the lost
   * future already sent is applied once all the same.
   */
  function moveAboveIfRestored(lastMutationId: number): boolean {
    if (lastMutationId <= (s.issued.get() as number)) return false;
    const ids = s.pendingIds.all() as number[];
    let next = lastMutationId;
    for (const id of ids) s.renumber.run(++next, id);
    // new writes go on above the server's count too
    if (s.setIssued.run(next).changes === 0) s.addIssued.run(next);
    return true;
  }

  return {
    /**
     * Applies the mutations to the local tables and appends them to the outbox in ONE
     * transaction: either the agent sees the change and it will be sent, or neither.
     * Returns the account ids touched.
     */
    write(writes: readonly LocalWrite[]): { mutationIds: number[]; accountIds: string[] } {
      const clientTime = core.now().toISOString();
      const parsed: ParsedMutation[] = writes.map((w) => {
        const r = parseMutation({ id: 1, name: w.name, args: w.args, clientTime });
        if (!r.ok) throw new InvalidWriteError(r.message, r.field);
        return r.mutation;
      });
      core.changed();
      const result = db.transaction(() => {
        const mutationIds: number[] = [];
        const touched = new Set<string>();
        for (const m of parsed) {
          const info = s.append.run(m.name, JSON.stringify(m.args), clientTime);
          mutationIds.push(Number(info.lastInsertRowid));
          for (const id of core.applyMutation(m, { agentId: core.agentId })) touched.add(id);
        }
        core.refreshDerived(touched, core.now());
        return { mutationIds, accountIds: [...touched] };
      })();
      afterWrite();
      return result;
    },

    pendingMutations(limit: number): MutationEnvelope[] {
      return (s.pending.all(limit) as OutboxRow[]).map((r) => ({
        id: r.id,
        name: r.name,
        args: JSON.parse(r.args),
        clientTime: r.client_time,
      }));
    },
    pendingCount: (): number => s.pendingCount.get() as number,

    /** The highest id this store ever gave a mutation. */
    seq: (): number => s.issued.get() as number,

    /**
     * This store is an old copy of itself (its device mark says it gave higher ids: src/main/field/mark.ts).
     * It becomes a new sync client: its pending mutations are numbered 1, 2 … again under a new client
     * id and the next pull is a full one. Facts carry their own ids, so what the overwritten store
     * already sent is applied once all the same; rejected entries keep their place below zero.
     */
    becomeNewClient(newClientId: string): void {
      db.transaction(() => {
        db.prepare(`UPDATE outbox SET id = -id WHERE status = 'rejected' AND id > 0`).run();
        const ids = s.pendingIds.all() as number[];
        ids.forEach((id, i) => s.renumber.run(i + 1, id));
        if (s.setIssued.run(ids.length).changes === 0) s.addIssued.run(ids.length);
        core.meta.set('clientId', newClientId);
        core.meta.set('cursor', null);
      })();
    },

    /** Removes what the server has processed (up to its lastMutationId), unless the store turns out to be an old copy. */
    trim(lastMutationId: number): void {
      if (!moveAboveIfRestored(lastMutationId)) s.trim.run(lastMutationId);
    },

    /** Records the server's answer to a push: rejected ones stay visible, processed ones leave. */
    acknowledge(lastMutationId: number, results: readonly MutationResult[]): void {
      const at = core.now().toISOString();
      db.transaction(() => {
        // an old copy of the store: nothing it sent was applied under those ids
        if (moveAboveIfRestored(lastMutationId)) return;
        for (const r of results) {
          if (r.status !== 'rejected') continue;
          s.reject.run(
            JSON.stringify({
              code: r.error?.code ?? 'rejected',
              message: r.error?.message ?? 'rejected by the server',
              at,
            }),
            r.id,
          );
        }
        s.trim.run(lastMutationId);
      })();
    },

    rejected(): RejectedEntry[] {
      return (s.rejected.all() as Array<{ id: number; name: string; error: string | null }>).map((r) => {
        const e = r.error ? (JSON.parse(r.error) as { code: string; message: string; at: string }) : null;
        return { mutationId: r.id, name: r.name, code: e?.code ?? 'rejected', message: e?.message ?? '', at: e?.at ?? '' };
      });
    },

    /** Re-applies every pending mutation in order; each effect is idempotent (see apply-mutation). */
    rebase(): Set<string> {
      const touched = new Set<string>();
      for (const r of s.pendingAll.all() as OutboxRow[]) {
        const parsed = parseMutation({ id: r.id, name: r.name, args: JSON.parse(r.args), clientTime: r.client_time });
        if (!parsed.ok) continue;
        for (const id of core.applyMutation(parsed.mutation, { agentId: core.agentId })) touched.add(id);
      }
      return touched;
    },

    /** Ids of activities, notes and promises created by writes still waiting in the outbox. */
    pendingWrittenIds(): string[] {
      const ids: string[] = [];
      for (const r of s.pendingAll.all() as OutboxRow[]) {
        const args = JSON.parse(r.args) as { id?: unknown; activityId?: unknown };
        if (typeof args.id === 'string') ids.push(args.id);
        if (typeof args.activityId === 'string') ids.push(args.activityId);
      }
      return ids;
    },
  };
}
