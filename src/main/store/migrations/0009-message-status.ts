import type { Migration } from './types';

/**
 * A message's delivery status as its provider reports it (sent, delivered, read, failed with the
 * reason), carried by its activity (server migration 0020). Versions 7 and 8 are other branches'.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'message-status',
  up: `ALTER TABLE activities ADD COLUMN message_status TEXT;
ALTER TABLE activities ADD COLUMN message_error TEXT;`,
};
