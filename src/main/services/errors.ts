import { WorkstationError } from '../../shared/api/contract';
import { isDiskFull } from '../store/disk-full';
import { relayed } from '../../shared/errors/codes';
import { InvalidWriteError } from '../store/store';
import { SyncHttpError } from '../sync/transport';

/** Turns anything a handler throws into a WorkstationError with a code the UI translates. */
export function toWorkstationError(e: unknown): WorkstationError {
  if (e instanceof WorkstationError) return e;
  if (e instanceof InvalidWriteError) return new WorkstationError('validation', e.message, e.field);
  if (isDiskFull(e)) return new WorkstationError('storage.full', e instanceof Error ? e.message : String(e));
  if (e instanceof SyncHttpError) {
    switch (e.kind) {
      case 'network':
        return new WorkstationError('server.unreachable', e.message);
      case 'auth':
        return new WorkstationError(
          e.code === 'user_disabled'
            ? 'auth.user_disabled'
            : e.code === 'invalid_credentials'
              ? 'auth.invalid_credentials'
              : 'auth.required',
          e.message,
        );
      case 'update':
        return new WorkstationError('update_required', e.message);
      case 'server':
        return new WorkstationError('server.error', e.message);
      case 'client':
        return new WorkstationError(e.code === 'validation' ? 'validation' : relayed(e.code), e.message, e.field);
    }
  }
  return new WorkstationError('internal', e instanceof Error ? e.message : String(e));
}

export const notSignedIn = () => new WorkstationError('auth.required', 'sign in first');
export const notFound = (what: string, field: string) => new WorkstationError('not_found', `${what} not found in this workstation`, field);

const STATUS_OF: Record<string, number> = {
  validation: 400,
  not_found: 404,
  'auth.required': 401,
  'auth.invalid_credentials': 401,
  'auth.user_disabled': 401,
  'host.forbidden': 403,
  'host.bad_request': 400,
  'host.unknown_method': 404,
  'host.no_key': 401,
  'server.unreachable': 503,
  update_required: 426,
  'server.error': 502,
  internal: 500,
};

/**
 * The HTTP status a failure travels with (web host). Only the app's own failure is a 500 and the
 * server's a 502; every other code is a refusal the agent can act on — a business rule (promise
 * policy, compliance, negotiation authority), a refusal the server sent (server.*) — so a 422
 * with its field, whatever new code a rule adds.
 */
export function httpStatusOf(code: string): number {
  return STATUS_OF[code] ?? 422;
}
