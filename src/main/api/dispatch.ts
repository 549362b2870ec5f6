import { API, WorkstationError, type ApiEnvelope, type ApiMethod } from '../../shared/api/contract';
import type { Workstation } from '../services/workstation';

/** Validates one call from either shell and runs its handler: an envelope, never a throw. */
export type Dispatch = (method: string, rawInput: unknown) => Promise<ApiEnvelope<unknown>>;

/**
 * The one validate-and-dispatch for both shells (Electron IPC and the web host): the method
 * must be one of the contract's, the input is parsed with its schema before any handler runs
 * (the first issue names the field), and a handler's failure becomes a WorkstationError
 * envelope ('internal' for anything that is not one).
 */
export function createDispatcher(handlers: Workstation['handlers']): Dispatch {
  return async (method, rawInput) => {
    if (!Object.prototype.hasOwnProperty.call(API, method)) {
      return fail(new WorkstationError('host.unknown_method', `no API method "${method}"`));
    }
    const m = method as ApiMethod;
    const parsed = API[m].input.safeParse(rawInput);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || undefined;
      return fail(new WorkstationError('validation', `${m}: ${field ?? 'input'}: ${issue?.message ?? 'invalid'}`, field));
    }
    try {
      return { ok: true, value: await (handlers[m] as (i: unknown) => Promise<unknown>)(parsed.data) };
    } catch (err) {
      return fail(err instanceof WorkstationError ? err : new WorkstationError('internal', (err as Error)?.message ?? String(err)));
    }
  };
}

function fail(e: WorkstationError): ApiEnvelope<never> {
  return { ok: false, error: e.toFailure() };
}
