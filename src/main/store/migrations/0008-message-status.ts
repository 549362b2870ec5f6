import type { Migration } from './types';

/**
 * A message's delivery status as its provider reports it (sent, delivered, read, failed with the
 * reason), carried by its activity (server migration 0021).
 */
export const migration0008: Migration = {
  version: 8,
  name: 'message-status',
  up: `ALTER TABLE activities ADD COLUMN message_status TEXT;
ALTER TABLE activities ADD COLUMN message_error TEXT;`,
};
