import type { Migration } from './types';

/**
 * Whether each account can still be contacted during its debtor's current local day (the shared
 * isContactableToday), and why not: the queue hides the others unless the agent asks for them.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'contactability',
  up: `
ALTER TABLE accounts ADD COLUMN contactable_today INTEGER NOT NULL DEFAULT 1;
ALTER TABLE accounts ADD COLUMN not_contactable_reason TEXT;
-- the quarter hour (epoch ms / 900000) the account was last judged in; NULL = never
ALTER TABLE accounts ADD COLUMN contactable_judged INTEGER;
CREATE INDEX accounts_contactable ON accounts(contactable_today, priority, id);
`,
};
