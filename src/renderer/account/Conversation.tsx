import { useTranslation } from 'react-i18next';
import type { AccountDetail } from '../../shared/api/contract';
import { formatDateTime } from '../lib/datetime';
import { MessageStatusChip, isMessageChannel } from './MessageStatusChip';

/**
 * The messages exchanged with the debtor, oldest first: ours (with their delivery status) and their
 * replies, whichever channel they came on. Built from the synced activities, so it works offline.
 */
export function Conversation({ detail }: { detail: AccountDetail }) {
  const { t, i18n } = useTranslation();
  const messages = detail.activities
    .filter((a) => isMessageChannel(a.channel) && (a.direction === 'inbound' || a.messageStatus || a.disposition === 'message_sent'))
    // at the same instant (a clock's resolution) ours comes first: a reply answers a message
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || (a.direction === b.direction ? 0 : a.direction === 'outbound' ? -1 : 1));
  if (messages.length === 0) return null;
  return (
    <section className="card" aria-labelledby="conversation-title" data-testid="conversation">
      <h3 id="conversation-title">
        {t('history.conversation')} <span className="muted">({messages.length})</span>
      </h3>
      <ol className="conversation">
        {messages.map((a) => (
          <li key={a.id} className={`bubble bubble-${a.direction}`} data-testid="conversation-message" data-direction={a.direction}>
            <div className="small muted">
              {t(`channel.${a.channel}`)} · {formatDateTime(a.startedAt, detail.debtor.timeZone, i18n.language)}
              {a.direction === 'inbound' ? ` · ${t('history.reply')}` : ''}
              <MessageStatusChip activity={a} />
            </div>
            <div className="bubble-text">{a.note ?? ''}</div>
          </li>
        ))}
      </ol>
    </section>
  );
}
