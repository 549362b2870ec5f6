import { close as closeFd, fsync, open as openFd } from 'node:fs';
import type Database from 'better-sqlite3-multiple-ciphers';

/** Quiet time after a write before the WAL is checkpointed. */
const CHECKPOINT_IDLE_MS = 2_000;

/**
 * Durability: WAL journal, synchronous=NORMAL. A commit returns only after its pages are written
 * to the WAL file, so a killed process (SIGKILL, crash) never loses an acknowledged write — the
 * data sits in the OS page cache. A power cut could still lose the last commits, and the agent's
 * own writes exist nowhere else: after each of them the WAL file is fsync'd on libuv's thread
 * pool (flushWal), so the agent does not wait for the disk (an fsync in the commit cost 2–3 ms
 * of the 2 ms an outcome may take) and the window in which a power cut loses a write is the
 * fsync's own few milliseconds. `durable()` resolves when every write so far is on disk.
 */
export function createDurability(db: Database.Database, file: string, indexWorkUnderWay: () => boolean) {
  const inMemory = file === ':memory:';
  let checkpointTimer: ReturnType<typeof setTimeout> | null = null;
  let flushing: Promise<void> | null = null;
  let flushAgain = false;

  /**
   * Copies the WAL into the database file once writes have paused for a moment. SQLite's own
   * automatic checkpoint runs inside the commit that crosses its threshold — an outcome write
   * that happened to be the thousandth page took 5–50 ms instead of under 1 — so it is set far
   * out (WAL_AUTOCHECKPOINT) and this does the work between the agent's actions.
   */
  function checkpointWhenIdle(): void {
    if (inMemory) return;
    if (checkpointTimer) clearTimeout(checkpointTimer);
    checkpointTimer = setTimeout(() => {
      checkpointTimer = null;
      // a full pull in progress checkpoints once at its end (see indexes.ts)
      if (db.open && !indexWorkUnderWay()) db.pragma('wal_checkpoint(PASSIVE)');
    }, CHECKPOINT_IDLE_MS);
    checkpointTimer.unref?.();
  }

  /** fsync of the WAL off the main thread, after a local write. */
  function flushWal(): void {
    if (inMemory) return;
    if (flushing) {
      flushAgain = true;
      return;
    }
    flushing = new Promise<void>((resolve) => {
      openFd(`${file}-wal`, 'r+', (err, fd) => {
        // no WAL file: checkpointed and closed, already in the synced database file
        if (err) {
          resolve();
          return;
        }
        fsync(fd, () => closeFd(fd, () => resolve()));
      });
    }).then(() => {
      flushing = null;
      if (flushAgain) {
        flushAgain = false;
        flushWal();
      }
    });
  }

  return {
    checkpointWhenIdle,
    flushWal,
    /** Resolves once every local write made so far has reached the disk. */
    async durable(): Promise<void> {
      while (flushing) await flushing;
    },
    close(): void {
      if (checkpointTimer) clearTimeout(checkpointTimer);
      checkpointTimer = null;
      // closing checkpoints the WAL into the database file and syncs it
      if (db.open) db.close();
    },
  };
}
