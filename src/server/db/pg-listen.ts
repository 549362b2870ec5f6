import pg from 'pg';

/**
 * One dedicated PostgreSQL connection per process for every LISTEN (a pooled connection would be
 * handed to other queries and lose its LISTENs). When it drops, it reconnects with back-off and
 * LISTENs again on every channel still wanted; notifications sent while it was down are lost, which
 * is why the live stream starts from a snapshot and the board is re-read on reconnect.
 */
export class PgListener {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private closed = false;
  private retry = 0;

  constructor(private readonly url: string) {}

  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    let set = this.handlers.get(channel);
    const fresh = !set;
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(onPayload);
    const client = await this.connection();
    if (fresh) await client.query(`LISTEN ${quoteIdent(channel)}`);
    return async () => {
      const s = this.handlers.get(channel);
      if (!s?.delete(onPayload) || s.size > 0) return;
      this.handlers.delete(channel);
      await this.client?.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => {});
  }

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (n) => {
      for (const h of this.handlers.get(n.channel) ?? []) h(n.payload ?? '');
    });
    await client.connect();
    for (const channel of this.handlers.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`);
    this.client = client;
    this.retry = 0;
    return client;
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    if (this.closed || this.handlers.size === 0) return;
    const delay = Math.min(5_000, 100 * 2 ** this.retry++);
    setTimeout(() => {
      if (!this.closed && !this.client) void this.connection().catch(() => this.lostLater());
    }, delay).unref();
  }

  private lostLater(): void {
    const delay = Math.min(5_000, 100 * 2 ** this.retry++);
    setTimeout(() => {
      if (!this.closed && !this.client) void this.connection().catch(() => this.lostLater());
    }, delay).unref();
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
