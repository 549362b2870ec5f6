import type { Readable } from 'node:stream';
import { HttpError } from '../http/errors';

/** The largest portfolio upload: a streamed file costs no memory, this only bounds its time. */
export const PORTFOLIO_LIMIT = 2 * 1024 * 1024 * 1024;

/**
 * A streamed request body, refused as it arrives: empty → 400 (nothing recorded), past `limit`
 * bytes → 413 (the rows of the batches before it are already written, as for a dropped upload).
 */
export async function limitedBody(body: Readable | undefined, limit: number): Promise<AsyncIterable<Uint8Array>> {
  // an empty body (Content-Length: 0) is never handed to a parser: no stream at all
  if (!body) throw new HttpError(400, 'invalid_request', 'body: empty file', 'body');
  const it = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done || first.value.length === 0) throw new HttpError(400, 'invalid_request', 'body: empty file', 'body');
  return (async function* () {
    let size = 0;
    for (let next: IteratorResult<Uint8Array> = first; !next.done; next = await it.next()) {
      size += next.value.length;
      if (size > limit) {
        body.destroy();
        throw new HttpError(413, 'payload_too_large', `the file is larger than ${limit} bytes`, 'body');
      }
      yield next.value;
    }
  })();
}
