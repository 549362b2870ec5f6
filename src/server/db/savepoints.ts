import { TransactionPoisonedError, type Db } from './types';

/** A single connection already inside BEGIN, as each runtime provides it. */
export interface TxConnection {
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

/**
 * A Db bound to one open transaction. Nested transaction() calls become savepoints, so a caller
 * (e.g. one sync mutation in a batch) can fail and be rolled back alone. A failed statement
 * not covered by a rolled-back savepoint marks the level as poisoned: the outer commit refuses.
 */
export class TxDb implements Db {
  private failure: unknown = null;
  private depth = 0;
  /** One connection runs one statement at a time: concurrent callers (Promise.all) queue here. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly kind: Db['kind'],
    private readonly conn: TxConnection,
  ) {}

  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.serially(() => this.conn.query<T>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.serially(() => this.conn.exec(sql));
  }

  private serially<R>(run: () => Promise<R>): Promise<R> {
    const result = this.queue.then(run).catch((e: unknown) => {
      this.failure ??= e;
      throw e;
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const name = `sp_${++this.depth}`;
    const outerFailure = this.failure;
    await this.conn.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn(this);
      if (this.failure !== outerFailure) throw new TransactionPoisonedError(this.failure);
      await this.conn.exec(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (e) {
      await this.conn.exec(`ROLLBACK TO SAVEPOINT ${name}`);
      this.failure = outerFailure;
      throw e;
    } finally {
      this.depth--;
    }
  }

  /** Throws if a statement failed and was not rolled back to a savepoint. */
  assertCommittable(): void {
    if (this.failure !== null) throw new TransactionPoisonedError(this.failure);
  }

  async close(): Promise<void> {
    throw new Error('close() called on a transaction');
  }
}
