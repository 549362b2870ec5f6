import { ApiError, PROTOCOL_VERSION, PullResponse, PushResponse, type PullRequest, type PushRequest } from '../../shared/sync/protocol';
import { z } from 'zod';
import { ROUTES } from '../../shared/api/routes';
import { checkSnapshot } from './snapshot-check';

/**
 * HTTP calls to the central server. Failures are classified the way the sync engine acts on
 * them: `network` and `server` (5xx) are retried with back-off; `auth` (401) and `update` (426)
 * stop syncing and keep the outbox; `client` (other 4xx) is reported.
 */
export type SyncFailureKind = 'network' | 'server' | 'auth' | 'update' | 'client';

export class SyncHttpError extends Error {
  constructor(
    public readonly kind: SyncFailureKind,
    public readonly status: number | null,
    public readonly code: string,
    message: string,
    public readonly field?: string,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }
}

export type FetchLike = (
  input: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{
  status: number;
  ok: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
}>;

export interface ServerClientOptions {
  serverUrl: string;
  fetch?: FetchLike;
  token?: () => string | null;
  timeoutMs?: number;
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/** A pull answer with its tuples left for checkSnapshot. */
const PullEnvelope = PullResponse.extend({ snapshot: z.unknown().optional() });

export function createServerClient(o: ServerClientOptions) {
  const doFetch: FetchLike = o.fetch ?? ((url, init) => fetch(url, init));
  const timeoutMs = o.timeoutMs ?? 60_000;

  async function call<S extends z.ZodTypeAny>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    path: string,
    body: unknown,
    schema: S,
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const token = o.token?.();
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Awaited<ReturnType<FetchLike>>;
    let text: string;
    try {
      res = await doFetch(joinUrl(o.serverUrl, path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      throw new SyncHttpError('network', null, 'server.unreachable', `server unreachable: ${(e as Error).message}`);
    }
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      /* reported below */
    }
    if (!res.ok) {
      const err = ApiError.safeParse(json);
      const code = err.success ? err.data.error.code : `http_${res.status}`;
      const message = err.success ? err.data.error.message : `HTTP ${res.status}`;
      const field = err.success ? err.data.error.field : undefined;
      const kind: SyncFailureKind =
        res.status === 401 ? 'auth' : res.status === 426 || code === 'update_required' ? 'update' : res.status >= 500 ? 'server' : 'client';
      throw new SyncHttpError(kind, res.status, code, message, field);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      // a body cut short or mangled on the way: as good as no answer
      throw new SyncHttpError(
        'network',
        res.status,
        'server.bad_response',
        `unexpected answer from ${path}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    }
    return parsed.data;
  }

  /**
   * Push and pull are idempotent by protocol, so a network error is retried once at once: the
   * usual cause is a pooled keep-alive connection the server (restarted, or a proxy) has dropped.
   */
  async function idempotent<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof SyncHttpError && e.kind === 'network' && e.status === null) return fn();
      throw e;
    }
  }

  return {
    call,
    push: (req: Omit<PushRequest, 'protocolVersion'>) =>
      idempotent(() => call(ROUTES.syncPush.method, ROUTES.syncPush.path, { protocolVersion: PROTOCOL_VERSION, ...req }, PushResponse)),
    // the bulk rows of a full pull as tuples: the store inserts them as they come (snapshot.ts),
    // checked by the compiled form of their schema (snapshot-check.ts), the rest by zod
    pull: (req: Omit<PullRequest, 'protocolVersion'>) =>
      idempotent(async (): Promise<PullResponse> => {
        const res = await call(
          ROUTES.syncPull.method,
          ROUTES.syncPull.path,
          { protocolVersion: PROTOCOL_VERSION, tuples: true, ...req },
          PullEnvelope,
        );
        if (res.snapshot === undefined) return { ...res, snapshot: undefined };
        const checked = checkSnapshot(res.snapshot);
        // a body mangled on the way: as good as no answer
        if (!checked.ok)
          throw new SyncHttpError(
            'network',
            200,
            'server.bad_response',
            `unexpected answer from ${ROUTES.syncPull.path}: ${checked.path}: ${checked.message}`,
          );
        return { ...res, snapshot: checked.value };
      }),
  };
}
export type ServerClient = ReturnType<typeof createServerClient>;
