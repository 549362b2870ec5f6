import { OrgDataVersions } from '../../shared/sync/protocol';
import type { LocalStore, MetaKey } from '../store/store';

/**
 * What the workstation caches beside its store (policies, templates, compliance rules, the
 * agent's approval requests) is fetched only when the pull's token for it (PullResponse.orgData)
 * differs from the token it was last fetched at. A server that sends no tokens (an older one)
 * leaves every kind stale, which is the old behaviour: fetch after each sync.
 */
export type OrgDataKind = keyof OrgDataVersions;
const SEEN = 'orgDataVersions';
const FETCHED = 'orgDataFetched';

function readJson(store: LocalStore, key: MetaKey): Record<string, string> {
  try {
    return JSON.parse(store.getMeta(key) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

/** Called by the sync engine for every pull answer that carries tokens. */
export function recordOrgDataVersions(store: LocalStore, versions: OrgDataVersions): void {
  if (store.getMeta(SEEN) !== JSON.stringify(versions)) store.setMeta(SEEN, JSON.stringify(versions));
}

/** Whether `kind` should be fetched, and the token to mark it with once it was. */
export function orgDataStale(store: LocalStore, kind: OrgDataKind): { stale: boolean; token: string | null } {
  const seen = OrgDataVersions.safeParse(readJson(store, SEEN));
  if (!seen.success) return { stale: true, token: null };
  const token = seen.data[kind];
  return { stale: readJson(store, FETCHED)[kind] !== token, token };
}

export function markOrgDataFetched(store: LocalStore, kind: OrgDataKind, token: string | null): void {
  if (token === null || !store.db.open) return;
  store.setMeta(FETCHED, JSON.stringify({ ...readJson(store, FETCHED), [kind]: token }));
}
