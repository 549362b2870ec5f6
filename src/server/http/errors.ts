import type { z } from 'zod';
import type { ServerErrorCode } from '../../shared/errors/codes';

/** An answer the API gives on purpose; rendered as ApiError (src/shared/sync/protocol.ts). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ServerErrorCode,
    message: string,
    readonly field?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const unauthorized = (message = 'authentication required') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message = 'not allowed for your role') => new HttpError(403, 'forbidden', message);
/** Also used for rows the caller may not see, so their existence does not leak. */
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);

/** The first zod issue as a 400 naming the field, e.g. body.installments.0.amountMinor. */
export function fromZodError(location: 'params' | 'query' | 'body', error: z.ZodError): HttpError {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const field = path || location;
  return new HttpError(400, 'invalid_request', `${location}${path ? `.${path}` : ''}: ${issue?.message ?? 'invalid'}`, field);
}
