import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import { hasFilters, useQueue } from '../stores/queue';
import { useNav } from '../stores/nav';
import { useSync } from '../stores/sync';
import { QueueFiltersBar } from '../queue/QueueFiltersBar';
import { MyDayStrip } from '../queue/MyDayStrip';
import { QueueRowView, ROW_HEIGHT } from '../queue/QueueRowView';
import { isTypingTarget, useKeydown } from '../lib/keyboard';
import { errorText } from '../lib/errors';

/** Rows from the end of the loaded list at which the next page is requested. */
const PREFETCH_ROWS = 15;

export function QueueScreen({ active, hidden }: { active: boolean; hidden: boolean }) {
  const { t, i18n } = useTranslation();
  const rows = useQueue((s) => s.rows);
  const showNotContactable = useQueue((s) => s.filters.showNotContactable ?? false);
  const filtered = useQueue((s) => hasFilters(s.filters));
  // the agent's choice shows at once; until they make one, the grouping the store applied
  const groupBy = useQueue((s) => s.filters.groupBy ?? s.groupBy);
  const total = useQueue((s) => s.total);
  const selected = useQueue((s) => s.selected);
  const error = useQueue((s) => s.error);
  const loading = useQueue((s) => s.loading);
  // Right after the first login the portfolio is still being pulled: say so instead of "no accounts".
  const syncing = useSync((s) => Boolean(s.state?.syncing && s.state.lastSuccessAt === null));
  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1]!.index : -1;

  useEffect(() => {
    if (!hidden && lastIndex >= rows.length - PREFETCH_ROWS && rows.length < total) void useQueue.getState().loadMore();
  }, [lastIndex, rows.length, total, hidden]);

  const open = useCallback((accountId: string) => useNav.getState().openAccount(accountId), []);
  const select = useCallback((index: number) => useQueue.getState().select(index), []);

  useEffect(() => {
    if (active) virtualizer.scrollToIndex(selected, { align: 'auto' });
  }, [selected, active, virtualizer]);

  /**
   * Enter in the search box: the search runs at once (not after the typing pause) and its first
   * result opens — a caller looked up by phone is one Enter away. With nothing new typed, the
   * selected row opens.
   */
  const searchAndOpen = useCallback(
    async (value: string) => {
      const q = useQueue.getState();
      if (value.trim() !== q.filters.search.trim() || q.loading) await q.setFilters({ search: value });
      const now = useQueue.getState();
      const row = now.rows[now.selected];
      if (row) open(row.accountId);
    },
    [open],
  );

  useKeydown((e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '/' && !isTypingTarget(e.target)) {
      e.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
      return;
    }
    const typing = isTypingTarget(e.target);
    if (e.key === 'Escape' && typing) {
      (e.target as HTMLElement).blur();
      return;
    }
    if (typing && e.target === searchRef.current) {
      if (e.key === 'Enter') {
        e.preventDefault();
        void searchAndOpen((e.target as HTMLInputElement).value);
      } else if (e.key === 'ArrowDown') {
        // into the results: j/k/↑/↓ then move, Enter opens, and the box no longer takes letters
        e.preventDefault();
        useQueue.getState().select(0);
        scrollRef.current?.focus();
      }
      return;
    }
    if (typing) return;
    const q = useQueue.getState();
    if (e.key === 'j' || e.key === 'ArrowDown') {
      e.preventDefault();
      q.move(1);
    } else if (e.key === 'k' || e.key === 'ArrowUp') {
      e.preventDefault();
      q.move(-1);
    } else if (e.key === 'Enter') {
      const row = q.rows[q.selected];
      if (row) {
        e.preventDefault();
        open(row.accountId);
      }
    } else if (e.key === 'r') {
      void q.refresh();
    }
  }, active);

  return (
    <section className="queue-screen" hidden={hidden} aria-label={t('queue.title')}>
      <QueueFiltersBar searchRef={searchRef} />
      <div className="queue-subbar">
        <label className="inline small contactable-toggle">
          <input
            type="checkbox"
            data-testid="show-not-contactable"
            checked={showNotContactable}
            onChange={(e) => void useQueue.getState().setFilters({ showNotContactable: e.target.checked })}
          />
          {t('queue.showNotContactable')}
        </label>
        <label className="inline small group-toggle" title={t('queue.groupByDebtorHint')}>
          <input
            type="checkbox"
            data-testid="group-by-debtor"
            checked={groupBy === 'debtor'}
            onChange={(e) => void useQueue.getState().setFilters({ groupBy: e.target.checked ? 'debtor' : 'account' })}
          />
          {t('queue.groupByDebtor')}
        </label>
        <MyDayStrip />
      </div>
      {error && (
        <div className="form-error" role="alert">
          {errorText(t, error)}
        </div>
      )}
      <div className="queue-grid" role="grid" aria-rowcount={total} aria-label={t('queue.title')} data-loaded-rows={rows.length}>
        <div className="queue-head" role="row">
          <div role="columnheader" className="c-debtor">
            {t('queue.col.debtor')}
          </div>
          <div role="columnheader" className="c-product">
            {t('queue.col.product')}
          </div>
          <div role="columnheader" className="c-balance num">
            {t('queue.col.balance')}
          </div>
          <div role="columnheader" className="c-dpd">
            {t('queue.col.dpd')}
          </div>
          <div role="columnheader" className="c-segment">
            {t('queue.col.segment')}
          </div>
          <div role="columnheader" className="c-status">
            {t('queue.col.status')}
          </div>
          <div role="columnheader" className="c-reason" title={t('queue.col.reason')}>
            <span className="ellipsis">{t('queue.col.reason')}</span>
          </div>
          <div role="columnheader" className="c-callback">
            {t('queue.col.callback')}
          </div>
        </div>
        <div className="queue-scroll" ref={scrollRef} data-testid="queue-scroll" role="rowgroup" tabIndex={0}>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const stored = rows[item.index];
              if (!stored) return null;
              // a debtor the rules close for the rest of today says why instead of its priority reason
              const why = stored.contactableToday === false ? stored.notContactableReason : null;
              const row = why
                ? { ...stored, reason: { code: 'not_contactable_today', params: { rule: why[i18n.language === 'en' ? 'en' : 'es'] } } }
                : stored;
              return (
                <QueueRowView
                  key={row.accountId}
                  row={row}
                  index={item.index}
                  top={item.start}
                  selected={item.index === selected}
                  onOpen={open}
                  onSelect={select}
                />
              );
            })}
          </div>
          {!loading && rows.length === 0 && (
            <div className="empty" data-testid="queue-empty">
              {syncing ? t('queue.downloading') : t('queue.empty')}
              {!syncing && filtered && (
                <div>
                  <button
                    type="button"
                    className="small"
                    data-testid="clear-filters"
                    onClick={() => void useQueue.getState().clearFilters()}
                  >
                    {t('queue.clearFilters')}
                  </button>
                </div>
              )}
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
