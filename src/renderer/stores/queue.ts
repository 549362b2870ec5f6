import { create } from 'zustand';
import { getApi } from '../api';
import type { QueueGrouping, QueueQuery, QueueRow } from '../../shared/api/contract';
import type { AccountStatus, DpdBucket, Segment } from '../../shared/domain/enums';
import { toUiError, type UiError } from '../lib/errors';

export type SortKey = 'priority' | 'balance' | 'dpd' | 'name';
export type SortDir = 'asc' | 'desc';

export interface QueueFilters {
  search: string;
  bucket: DpdBucket | null;
  segment: Segment | null;
  status: AccountStatus | null;
  sort: SortKey;
  dir: SortDir;
  /** Off by default: the queue offers only debtors who can still be contacted today. */
  showNotContactable?: boolean;
  /** The agent's choice of one row per account or per debtor; null: the organisation's rules decide. */
  groupBy?: QueueGrouping | null;
}

/** The direction a sort starts in: names A→Z, the rest largest first. */
export const SORT_START: Record<SortKey, SortDir> = { priority: 'desc', balance: 'desc', dpd: 'desc', name: 'asc' };

/** Whether the agent narrowed the queue (what "Limpiar filtros" undoes). */
export function hasFilters(f: QueueFilters): boolean {
  return Boolean(f.search.trim() || f.bucket || f.segment || f.status);
}

const INITIAL_FILTERS: QueueFilters = { search: '', bucket: null, segment: null, status: null, sort: 'priority', dir: 'desc' };

export const PAGE_SIZE = 50;
/** The API caps one page at 200 rows; a refresh of a long scrolled list asks in chunks. */
const MAX_PAGE = 200;

interface QueueStore {
  filters: QueueFilters;
  rows: QueueRow[];
  total: number;
  /** How the rows shown are grouped (the agent's choice, or the organisation's default). */
  groupBy: QueueGrouping;
  loading: boolean;
  error: UiError | null;
  selected: number;
  /** Applies the patch and reloads; resolves when the new first page is in. */
  setFilters(patch: Partial<QueueFilters>): Promise<void>;
  /** Search and dropdown filters back to everything (the sort and grouping stay). */
  clearFilters(): Promise<void>;
  /** Back to a fresh queue: the next person at this machine starts with no one else's search or filters. */
  reset(): void;
  /** Reloads from the top (filters changed). */
  reload(): Promise<void>;
  /** Appends the next page (scrolled near the end). */
  loadMore(): Promise<void>;
  /** Re-reads the rows already shown (data changed underneath), keeping the scroll depth. */
  refresh(): Promise<void>;
  select(index: number): void;
  move(delta: number): void;
}

function toQuery(f: QueueFilters, offset: number, limit: number): QueueQuery {
  const search = f.search.trim();
  return {
    ...(search ? { search } : {}),
    ...(f.bucket ? { bucket: f.bucket } : {}),
    ...(f.segment ? { segment: f.segment } : {}),
    ...(f.status ? { status: f.status } : {}),
    sort: f.sort,
    dir: f.dir,
    // a search looks for a specific debtor and finds them whether contactable today or not
    contactableOnly: !f.showNotContactable && !search,
    ...(f.groupBy ? { groupBy: f.groupBy } : {}),
    offset,
    limit,
  };
}

// Each request carries the generation it was started in; answers from an older generation
// (the filters changed meanwhile) are dropped so a slow page never overwrites a newer list.
let generation = 0;

export const useQueue = create<QueueStore>((set, get) => ({
  filters: { ...INITIAL_FILTERS },
  rows: [],
  total: 0,
  groupBy: 'account',
  loading: false,
  error: null,
  selected: 0,

  setFilters(patch) {
    set((s) => ({ filters: { ...s.filters, ...patch } }));
    return get().reload();
  },

  reset() {
    generation++; // an answer still in flight belongs to the previous user
    set({ filters: { ...INITIAL_FILTERS }, rows: [], total: 0, groupBy: 'account', loading: false, error: null, selected: 0 });
  },

  clearFilters() {
    return get().setFilters({ search: '', bucket: null, segment: null, status: null });
  },

  async reload() {
    const gen = ++generation;
    set({ loading: true, error: null });
    try {
      const page = await getApi().listQueue(toQuery(get().filters, 0, PAGE_SIZE));
      if (gen !== generation) return;
      set({ rows: page.rows, total: page.total, groupBy: page.groupBy ?? 'account', loading: false, selected: 0 });
    } catch (err) {
      if (gen === generation) set({ loading: false, error: toUiError(err) });
    }
  },

  async loadMore() {
    const { loading, rows, total, filters } = get();
    if (loading || rows.length >= total) return;
    const gen = generation;
    set({ loading: true });
    try {
      const page = await getApi().listQueue(toQuery(filters, rows.length, PAGE_SIZE));
      if (gen !== generation) return;
      set((s) => ({ rows: [...s.rows, ...page.rows], total: page.total, loading: false }));
    } catch (err) {
      if (gen === generation) set({ loading: false, error: toUiError(err) });
    }
  },

  async refresh() {
    const gen = ++generation;
    const want = Math.max(get().rows.length, PAGE_SIZE);
    const filters = get().filters;
    try {
      const rows: QueueRow[] = [];
      let total = 0;
      let groupBy: QueueGrouping | undefined;
      for (let offset = 0; offset < want; offset += MAX_PAGE) {
        const page = await getApi().listQueue(toQuery(filters, offset, Math.min(MAX_PAGE, want - offset)));
        if (gen !== generation) return;
        rows.push(...page.rows);
        total = page.total;
        groupBy = page.groupBy;
        if (page.rows.length === 0) break;
      }
      set((s) => ({ rows, total, loading: false, error: null, selected: Math.min(s.selected, Math.max(0, rows.length - 1)) }));
      if (groupBy) set({ groupBy });
    } catch (err) {
      if (gen === generation) set({ loading: false, error: toUiError(err) });
    }
  },

  select(index) {
    const n = get().rows.length;
    set({ selected: Math.max(0, Math.min(index, n - 1)) });
  },

  move(delta) {
    get().select(get().selected + delta);
  },
}));
