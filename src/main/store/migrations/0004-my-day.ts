import type { Migration } from './types';

/** The agent's own attempts of a day (the "Mi día" strip) are counted from an index, not a scan of every account's history. */
export const migration0004: Migration = {
  version: 4,
  name: 'my-day',
  up: `CREATE INDEX activities_agent_started ON activities(agent_id, started_at);`,
};
