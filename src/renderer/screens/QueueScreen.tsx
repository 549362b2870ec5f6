import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useQueue } from '../stores/queue';
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
    if (typing && e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Enter') return;
    if (typing && e.target !== searchRef.current) return;
    const q = useQueue.getState();
    if (e.key === 'j' || e.key === 'ArrowDown') {
      e.preventDefault();
      q.move(1);
    } else if (e.key === 'k' || e.key === 'ArrowUp') {
      e.preventDefault();
      q.move(-1);
    } else if (e.key === 'Enter' && !typing) {
      const row = q.rows[q.selected];
      if (row) {
        e.preventDefault();
        open(row.accountId);
      }
    } else if (e.key === 'r' && !typing) {
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
            onChange={(e) => {
              useQueue.getState().setFilters({ showNotContactable: e.target.checked });
              void useQueue.getState().reload();
            }}
          />
          {t('queue.showNotContactable')}
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
          <div role="columnheader" className="c-reason">
            {t('queue.col.reason')}
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
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
