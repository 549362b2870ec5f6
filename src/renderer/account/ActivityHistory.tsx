import { useTranslation } from 'react-i18next';
import type { AccountDetail } from '../../shared/api/contract';
import { useSession } from '../stores/session';
import { formatDateTime, formatDuration } from '../lib/datetime';
import { MessageStatusChip, isMessageChannel } from './MessageStatusChip';

export function ActivityHistory({ detail }: { detail: AccountDetail }) {
  const { t, i18n } = useTranslation();
  const me = useSession((s) => s.session?.user.id);
  const pending = new Set(detail.pendingActivityIds);
  const activities = [...detail.activities].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const tz = detail.debtor.timeZone;
  return (
    <section className="card" aria-labelledby="history-title">
      <h3 id="history-title">
        {t('history.title')} <span className="muted">({activities.length})</span>
      </h3>
      {activities.length === 0 ? (
        <p className="muted">{t('history.none')}</p>
      ) : (
        <table className="table" data-testid="history">
          <thead>
            <tr>
              <th>{t('history.when')}</th>
              <th>{t('history.channel')}</th>
              <th>{t('history.disposition')}</th>
              <th>{t('history.agent')}</th>
              <th>{t('history.duration')}</th>
              <th>{t('history.sip')}</th>
              <th>{t('history.note')}</th>
            </tr>
          </thead>
          <tbody>
            {activities.map((a) => {
              const isPending = pending.has(a.id) || a.recordedAt === null;
              return (
                <tr key={a.id} data-testid="activity" data-pending={isPending}>
                  <td className="nowrap">
                    {formatDateTime(a.startedAt, tz, i18n.language)}
                    {isPending && (
                      <span className="chip chip-pending" title={t('history.pendingHint')}>
                        {t('history.pending')}
                      </span>
                    )}
                  </td>
                  <td>
                    {t(`channel.${a.channel}`)}{' '}
                    <span className="muted small">
                      {a.direction === 'inbound' ? '↙' : '↗'}
                      {a.address ? ` ${a.address}` : ''}
                    </span>
                  </td>
                  <td>
                    {a.disposition ? (
                      t(`disposition.${a.disposition}`)
                    ) : a.direction === 'inbound' && isMessageChannel(a.channel) ? (
                      <span className="chip chip-reply" data-testid="reply">
                        {t('history.reply')}
                      </span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                    {a.direction === 'outbound' && <MessageStatusChip activity={a} />}
                  </td>
                  <td>{a.agentId === me ? t('history.you') : a.agentId.slice(0, 8)}</td>
                  <td className="num">{a.durationSec !== null ? formatDuration(a.durationSec) : '—'}</td>
                  <td className="num">{a.sipStatus ?? '—'}</td>
                  <td className="note-cell">{a.note ?? ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
