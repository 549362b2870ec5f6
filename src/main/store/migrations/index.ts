import type { Migration } from './types';
import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-contactability';

/** Every migration, in order. Append only: a shipped migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002];
export type { Migration };
