import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';

// `npm test` and every npm script run on Node 24 LTS (the optional node-linux-* package on
// Linux, actions/setup-node in the release workflow), and the native module is built for it.
describe('Node 24', () => {
  it('runs the tests', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it('loads better-sqlite3 built for this Node', () => {
    const db = new Database(':memory:');
    expect(db.prepare('SELECT 41 + 1 AS n').get()).toEqual({ n: 42 });
    db.close();
  });
});
