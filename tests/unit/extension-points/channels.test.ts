import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/store/migrate';
import { CHANNEL_FACTS, CHANNELS, CONTACT_KINDS, MESSAGE_CHANNELS, MessageChannel, sqlList } from '../../../src/shared/domain/channels';
import { Channel, ContactKind } from '../../../src/shared/domain/enums';
import { MessageChannel as ContractMessageChannel } from '../../../src/shared/api/contract';
import { MUTATION_ARGS } from '../../../src/shared/sync/mutations';
import { MessageTemplateInput } from '../../../src/shared/domain/template-admin';
import { MESSAGE_KINDS } from '../../../src/renderer/messaging/compatible';

/** `CHECK (col IN ('a', 'b'))` clauses in a schema text, by column. */
function inChecks(sql: string): Array<{ column: string; names: string[] }> {
  return [...sql.matchAll(/CHECK\s*\(\s*(channel|kind)\s+IN\s*\(([^)]*)\)/gi)].map((m) => ({
    column: m[1]!.toLowerCase(),
    names: [...m[2]!.matchAll(/'([^']*)'/g)].map((x) => x[1]!).sort(),
  }));
}

describe('one list of channels (src/shared/domain/channels.ts)', () => {
  it('every zod enum of channels is the shared list', () => {
    expect(Channel.options).toEqual([...CHANNELS]);
    expect(ContactKind.options).toEqual([...CONTACT_KINDS]);
    expect(ContractMessageChannel).toBe(MessageChannel);
    expect(MUTATION_ARGS['message.send'].shape.channel.options).toEqual([...MESSAGE_CHANNELS]);
    for (const c of MESSAGE_CHANNELS)
      expect(
        MessageTemplateInput.safeParse({ name: 'x', channel: c, body: 'Hola', ...(c === 'email' ? { subject: 's' } : {}) }).success,
      ).toBe(true);
    expect(MessageTemplateInput.safeParse({ name: 'x', channel: 'call', body: 'Hola' }).success).toBe(false);
  });

  it('the message panel offers each message channel the contact kinds the rules accept', () => {
    expect(Object.keys(MESSAGE_KINDS).sort()).toEqual([...MESSAGE_CHANNELS].sort());
    for (const c of MESSAGE_CHANNELS) expect(MESSAGE_KINDS[c]).toEqual(CHANNEL_FACTS[c].kinds);
  });

  it('sqlList quotes the names for an IN list', () => {
    expect(sqlList(['sms', 'whatsapp', "o'brien"])).toBe("'sms', 'whatsapp', 'o''brien'");
  });

  it("the client store's schema has no CHECK that lists other channels or kinds than the shared lists", () => {
    const db = new Database(':memory:');
    migrate(db);
    const schema = db.prepare(`SELECT group_concat(sql, ';') FROM sqlite_master WHERE sql IS NOT NULL`).pluck().get() as string;
    db.close();
    expect(schema).toMatch(/channel TEXT NOT NULL/);
    const allowed: Record<string, string[][]> = {
      channel: [[...CHANNELS].sort(), [...MESSAGE_CHANNELS].sort()],
      kind: [[...CONTACT_KINDS].sort()],
    };
    for (const check of inChecks(schema)) expect(allowed[check.column]).toContainEqual(check.names);
  });

  it('inChecks reads a CHECK clause (so the test above can fail)', () => {
    expect(inChecks("x TEXT, channel text NOT NULL CHECK (channel IN ('sms', 'fax'))")).toEqual([
      { column: 'channel', names: ['fax', 'sms'] },
    ]);
  });
});
