import { randomUUID } from 'node:crypto';
import type { createJsonClient, JsonResult } from '../../bench/load';
import { PROTOCOL_VERSION } from '../../src/shared/sync/protocol';

type Client = ReturnType<typeof createJsonClient>;

/** One request a client saw fail (answer not 200, or no answer). Times in ms since the agents' t0. */
export interface FailedRequest {
  rid: string;
  kind: 'push' | 'pull';
  what: string;
  /** when it was sent */
  sentAt: number;
  /** when it failed */
  at: number;
  /** the instance that answered this agent's previous request (its token hashes there) */
  lastServedBy: string | null;
}

export interface Envelope {
  id: number;
  name: 'activity.log';
  clientTime: string;
  args: Record<string, unknown>;
}

/**
 * An agent's workstation reduced to its sync: an outbox of outcomes sent in order until the server
 * acknowledges them (a failed or unanswered push is sent again, same ids — what src/main/sync does),
 * and pulls with a cursor. Every request carries a fresh x-request-id, so a failure can be found in
 * the balancer's log; every answer says which instance served it (x-served-by).
 */
export class RetryingAgent {
  readonly clientId = randomUUID();
  cursor: string | null = null;
  private nextId = 1;
  outbox: Envelope[] = [];
  acked = 0;
  /** Activity ids sent (each once in the outbox, however often resent). */
  readonly sent: string[] = [];
  readonly failures: FailedRequest[] = [];
  /** Instances that answered, in order, with when. */
  readonly servedBy: Array<{ server: string; at: number }> = [];
  constructor(
    readonly client: Client,
    readonly token: string,
    readonly accounts: string[],
    readonly tag: string,
    readonly t0 = performance.now(),
  ) {}

  queue(n: number): void {
    for (let k = 0; k < n; k++) {
      const id = randomUUID();
      this.sent.push(id);
      this.outbox.push({
        id: this.nextId++,
        name: 'activity.log',
        clientTime: new Date().toISOString(),
        args: {
          id,
          accountId: this.accounts[Math.floor(Math.random() * this.accounts.length)],
          channel: 'call',
          disposition: 'no_answer',
          startedAt: new Date().toISOString(),
          note: this.tag,
        },
      });
    }
  }

  get lastQueued(): number {
    return this.nextId - 1;
  }

  private async send<T>(kind: 'push' | 'pull', path: string, body: unknown, rid: string): Promise<JsonResult<T> | null> {
    let r: JsonResult<T>;
    const sentAt = performance.now() - this.t0;
    const lastServedBy = this.servedBy.at(-1)?.server ?? null;
    const fail = (what: string) => this.failures.push({ rid, kind, what, sentAt, at: performance.now() - this.t0, lastServedBy });
    try {
      r = await this.client.request<T>('POST', path, body, this.token, 30_000, { 'x-request-id': rid });
    } catch (e) {
      fail((e as Error).message);
      return null;
    }
    const server = r.headers['x-served-by'];
    if (typeof server === 'string') this.servedBy.push({ server, at: performance.now() - this.t0 });
    if (r.status !== 200) {
      fail(`${r.status} ${JSON.stringify(r.body).slice(0, 120)}`);
      return null;
    }
    return r;
  }

  /** Sends the outbox once; true when everything in it was acknowledged. */
  async push(rid = `push-${randomUUID()}`): Promise<boolean> {
    if (this.outbox.length === 0) return true;
    const r = await this.send<{ lastMutationId: number }>(
      'push',
      '/api/v1/sync/push',
      { protocolVersion: PROTOCOL_VERSION, clientId: this.clientId, mutations: this.outbox },
      rid,
    );
    if (!r) return false;
    this.acked = r.body.lastMutationId;
    this.outbox = this.outbox.filter((m) => m.id > this.acked);
    return this.outbox.length === 0;
  }

  /** One pull page; true when answered. */
  async pull(): Promise<{ hasMore: boolean } | null> {
    const r = await this.send<{ cursor: string; hasMore: boolean }>(
      'pull',
      '/api/v1/sync/pull',
      { protocolVersion: PROTOCOL_VERSION, clientId: this.clientId, cursor: this.cursor },
      `pull-${randomUUID()}`,
    );
    if (!r) return null;
    this.cursor = r.body.cursor;
    return { hasMore: r.body.hasMore };
  }

  /** Until the outbox is empty and a pull says nothing more, retrying failures; false at the deadline. */
  async converge(deadline: number, pauseMs = 50): Promise<boolean> {
    while (performance.now() < deadline) {
      if (!(await this.push())) {
        await new Promise((r) => setTimeout(r, pauseMs));
        continue;
      }
      const p = await this.pull();
      if (p && !p.hasMore && this.outbox.length === 0) return true;
      if (!p) await new Promise((r) => setTimeout(r, pauseMs));
    }
    return false;
  }
}
