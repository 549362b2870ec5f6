import { useEffect, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountStatus, DpdBucket, Segment } from '../../shared/domain/enums';
import { SORT_START, useQueue, type SortKey } from '../stores/queue';
import { useDebounced } from '../lib/keyboard';

const SORTS: SortKey[] = ['priority', 'balance', 'dpd', 'name'];

export function QueueFiltersBar({ searchRef }: { searchRef: RefObject<HTMLInputElement | null> }) {
  const { t } = useTranslation();
  const filters = useQueue((s) => s.filters);
  const total = useQueue((s) => s.total);
  const loading = useQueue((s) => s.loading);
  const groupBy = useQueue((s) => s.groupBy);
  const setFilters = useQueue((s) => s.setFilters);
  const [search, setSearch] = useState(filters.search);
  // the filter changed elsewhere ("Limpiar filtros"): the box shows it
  useEffect(() => setSearch(filters.search), [filters.search]);
  useDebounced(search, 250, (value) => {
    if (value !== useQueue.getState().filters.search) void setFilters({ search: value });
  });

  return (
    <div className="filters" role="search">
      <input
        ref={searchRef}
        type="search"
        className="search"
        data-testid="queue-search"
        placeholder={t('queue.searchPlaceholder')}
        aria-label={t('queue.searchPlaceholder')}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <select
        aria-label={t('queue.bucket')}
        value={filters.bucket ?? ''}
        onChange={(e) => void setFilters({ bucket: e.target.value ? DpdBucket.parse(e.target.value) : null })}
      >
        <option value="">{t('queue.allBuckets')}</option>
        {DpdBucket.options.map((b) => (
          <option key={b} value={b}>
            {t(`bucket.${b}`)}
          </option>
        ))}
      </select>
      <select
        aria-label={t('queue.segment')}
        value={filters.segment ?? ''}
        onChange={(e) => void setFilters({ segment: e.target.value ? Segment.parse(e.target.value) : null })}
      >
        <option value="">{t('queue.allSegments')}</option>
        {Segment.options.map((s) => (
          <option key={s} value={s}>
            {t(`segment.${s}`)}
          </option>
        ))}
      </select>
      <select
        aria-label={t('queue.status')}
        value={filters.status ?? ''}
        onChange={(e) => void setFilters({ status: e.target.value ? AccountStatus.parse(e.target.value) : null })}
      >
        <option value="">{t('queue.allStatuses')}</option>
        {AccountStatus.options.map((s) => (
          <option key={s} value={s}>
            {t(`status.${s}`)}
          </option>
        ))}
      </select>
      <label className="sort">
        {t('queue.sortBy')}
        <select
          value={filters.sort}
          onChange={(e) => {
            // each sort starts where it reads naturally: names A→Z, amounts and days largest first
            const sort = e.target.value as SortKey;
            void setFilters({ sort, dir: SORT_START[sort] });
          }}
          data-testid="queue-sort"
        >
          {SORTS.map((s) => (
            <option key={s} value={s}>
              {t(`queue.sort.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="dir"
        aria-label={t(filters.dir === 'asc' ? 'queue.asc' : 'queue.desc')}
        title={t(filters.dir === 'asc' ? 'queue.asc' : 'queue.desc')}
        onClick={() => void setFilters({ dir: filters.dir === 'asc' ? 'desc' : 'asc' })}
      >
        {filters.dir === 'asc' ? '↑' : '↓'}
      </button>
      <span className="muted count" data-testid="queue-total">
        {loading ? t('common.loading') : t(groupBy === 'debtor' ? 'queue.totalDebtors' : 'queue.total', { count: total })}
      </span>
    </div>
  );
}
