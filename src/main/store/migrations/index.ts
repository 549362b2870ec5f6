import type { Migration } from './types';
import { migration0001 } from './0001-initial';

/** Every migration, in order. Append only: a shipped migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [migration0001];
export type { Migration };
