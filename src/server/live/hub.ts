import type { Db } from '../db';

/**
 * Fan-out of live events through the database, never through one process's memory: a write
 * NOTIFYs its organisation's channel inside its transaction (delivered at commit, to every
 * server process LISTENing on the database), and each process hands what it hears to its own
 * connected streams. One LISTEN per organisation per process, however many leads watch.
 */
export function liveChannel(orgId: string): string {
  // lower case and no dashes: a plain identifier, the same in LISTEN and pg_notify on both runtimes
  return `live_${orgId.replace(/-/g, '').toLowerCase()}`;
}

type Listener = (payload: string) => void;

class LiveHub {
  private readonly orgs = new Map<string, { listeners: Set<Listener>; ready: Promise<() => Promise<void>> }>();
  constructor(private readonly db: Db) {}

  async subscribe(orgId: string, fn: Listener): Promise<() => void> {
    if (!this.db.listen) throw new Error('this database runtime cannot LISTEN');
    let entry = this.orgs.get(orgId);
    if (!entry) {
      const listeners = new Set<Listener>();
      const ready = this.db.listen(liveChannel(orgId), (payload) => {
        for (const l of listeners) l(payload);
      });
      entry = { listeners, ready };
      this.orgs.set(orgId, entry);
      ready.catch(() => this.orgs.delete(orgId));
    }
    entry.listeners.add(fn);
    await entry.ready;
    const e = entry;
    return () => {
      e.listeners.delete(fn);
      if (e.listeners.size > 0 || this.orgs.get(orgId) !== e) return;
      this.orgs.delete(orgId);
      void e.ready.then((stop) => stop()).catch(() => {});
    };
  }
}

const hubs = new WeakMap<Db, LiveHub>();
export function hubFor(db: Db): LiveHub {
  let h = hubs.get(db);
  if (!h) hubs.set(db, (h = new LiveHub(db)));
  return h;
}
