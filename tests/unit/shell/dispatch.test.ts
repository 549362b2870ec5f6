import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src/main/api/dispatch';
import { WorkstationError } from '../../../src/shared/api/contract';
import type { Workstation } from '../../../src/main/services/workstation';

// Handlers are a plain object here: the dispatcher's job is the checks around them.
function dispatcherWith(over: Record<string, (i: unknown) => Promise<unknown>>) {
  return createDispatcher(over as unknown as Workstation['handlers']);
}

describe('one dispatcher for both shells', () => {
  it('refuses a method the contract does not have, including inherited names', async () => {
    const d = dispatcherWith({});
    for (const m of ['nope', 'toString', '__proto__']) {
      const env = await d(m, {});
      expect(env).toMatchObject({ ok: false, error: { code: 'host.unknown_method' } });
    }
  });

  it('parses the input before the handler runs and names the field', async () => {
    let ran = false;
    const d = dispatcherWith({
      listQueue: async () => {
        ran = true;
        return [];
      },
    });
    const env = await d('listQueue', { limit: -3 });
    expect(ran).toBe(false);
    expect(env).toMatchObject({ ok: false, error: { code: 'validation', field: 'limit' } });
    expect(!env.ok && env.error.message).toMatch(/^listQueue: limit: /);
  });

  it('hands the parsed input (defaults filled) to the handler and wraps the value', async () => {
    let seen: unknown;
    const d = dispatcherWith({
      listQueue: async (i) => {
        seen = i;
        return { rows: [] };
      },
    });
    const env = await d('listQueue', {});
    expect(env).toEqual({ ok: true, value: { rows: [] } });
    expect(seen).toMatchObject({ sort: 'priority', dir: 'desc', offset: 0, limit: 50 });
  });

  it('keeps a WorkstationError code and turns anything else into internal', async () => {
    const d = dispatcherWith({
      getSession: async () => {
        throw new WorkstationError('auth.required', 'log in', 'user');
      },
      getSyncState: async () => {
        throw new TypeError('boom');
      },
    });
    expect(await d('getSession', undefined)).toEqual({ ok: false, error: { code: 'auth.required', message: 'log in', field: 'user' } });
    expect(await d('getSyncState', undefined)).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
  });
});
