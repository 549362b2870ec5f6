import { z } from 'zod';

/**
 * The pull cursor, opaque to clients: base64url of a small JSON. `full` pages through the
 * visible accounts by (debtor id, account id) (keyset) as of change version `h`; `inc` means "everything up to change
 * version `v` has been sent". `u` ties it to the user: someone else's cursor restarts a full pull.
 */
const FullCursor = z.object({
  k: z.literal('full'),
  u: z.string(),
  h: z.number().int().nonnegative(),
  /** The client's last mutation id read with `h`: reported until the full pull is done. */
  m: z.number().int().nonnegative(),
  /** Last (debtor id, account id) sent: pages are ordered by debtor, then account. */
  after: z.tuple([z.string(), z.string()]).nullable(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
const IncCursor = z.object({ k: z.literal('inc'), u: z.string(), v: z.number().int().nonnegative() });
const Cursor = z.discriminatedUnion('k', [FullCursor, IncCursor]);
export type Cursor = z.infer<typeof Cursor>;
export type FullCursor = z.infer<typeof FullCursor>;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

/** null when absent, unreadable or another user's: the caller starts over with a full pull. */
export function decodeCursor(text: string | null, userId: string): Cursor | null {
  if (!text) return null;
  try {
    const c = Cursor.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return c.success && c.data.u === userId ? c.data : null;
  } catch {
    return null;
  }
}
