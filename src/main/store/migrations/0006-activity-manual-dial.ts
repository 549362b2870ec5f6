import type { Migration } from './types';

/** A call placed outside the softphone and logged by hand is kept as such (server migration 0016). */
export const migration0006: Migration = {
  version: 6,
  name: 'activity-manual-dial',
  up: `ALTER TABLE activities ADD COLUMN manual_dial INTEGER NOT NULL DEFAULT 0;`,
};
