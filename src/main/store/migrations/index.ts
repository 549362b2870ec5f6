import type { Migration } from './types';
import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-contactability';
import { migration0003 } from './0003-search-trigram';
import { migration0004 } from './0004-my-day';
import { migration0006 } from './0006-activity-manual-dial';
import { migration0007 } from './0007-search-compact-ids';
import { migration0008 } from './0008-message-status';
import { migration0009 } from './0009-account-scores';
import { migration0010 } from './0010-contact-habits';
import { migration0011 } from './0011-field-receipts';

/** Every migration, in order. Append only: a shipped migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
];
export type { Migration };
