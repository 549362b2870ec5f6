import type Database from 'better-sqlite3-multiple-ciphers';
import type { MutationApplier } from './apply-mutation';
import type { createDerivedRefresher } from './derived';
import type { Meta } from './meta';

/** What the store's modules share: one connection, its clock and author, and the change counter. */
export interface StoreCore {
  readonly db: Database.Database;
  readonly file: string;
  readonly now: () => Date;
  /** The signed-in agent: author of local activities, notes and promises. */
  readonly agentId: string;
  readonly meta: Meta;
  readonly applyMutation: MutationApplier;
  readonly refreshDerived: ReturnType<typeof createDerivedRefresher>;
  /** Bumped on every change of the tables, so readers know when cached answers went stale. */
  changed(): void;
}
