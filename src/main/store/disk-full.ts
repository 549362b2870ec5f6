/**
 * The disk (or the store's page limit) is full: SQLite says SQLITE_FULL, Node's fs says ENOSPC
 * (EDQUOT for a quota). Told apart from "offline" so the agent hears what to do: free space,
 * not wait for the network — their work is still in the store, and nothing new can be saved.
 */
export function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}
