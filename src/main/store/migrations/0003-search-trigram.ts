import type { Migration } from './types';

/**
 * Substring search without scanning: a trigram FTS5 index over accounts.search_text (already
 * folded), external content so the text is stored once, kept in step by triggers. A full pull
 * drops the triggers with the deferred indexes and rebuilds the index once at the end.
 * Also a covering index for the queue's bucket + segment filter, so its total is counted
 * from the index alone.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'search-trigram',
  up: `
CREATE VIRTUAL TABLE accounts_fts USING fts5(search_text, content='accounts', content_rowid='rowid', tokenize='trigram', detail='full');
CREATE TRIGGER accounts_fts_insert AFTER INSERT ON accounts BEGIN
  INSERT INTO accounts_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER accounts_fts_delete AFTER DELETE ON accounts BEGIN
  INSERT INTO accounts_fts(accounts_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER accounts_fts_update AFTER UPDATE OF search_text ON accounts WHEN old.search_text IS NOT new.search_text BEGIN
  INSERT INTO accounts_fts(accounts_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
  INSERT INTO accounts_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
END;
INSERT INTO accounts_fts(accounts_fts) VALUES ('rebuild');
CREATE INDEX accounts_bucket_segment ON accounts(bucket, segment, priority, id);
`,
};
