import { useTranslation } from 'react-i18next';
import type { Activity } from '../../shared/domain/entities';
import type { Channel } from '../../shared/domain/enums';

const MESSAGE_CHANNELS: ReadonlySet<Channel> = new Set(['sms', 'email', 'whatsapp']);
export const isMessageChannel = (c: Channel) => MESSAGE_CHANNELS.has(c);

const TONE: Record<string, string> = { delivered: 'chip-ok', read: 'chip-ok', failed: 'chip-bad', blocked: 'chip-bad' };

/**
 * Where a sent message stands, as its provider reported it (synced with the activity). A message
 * the server has not answered for yet shows as queued; the provider's reason is the failed chip's title.
 */
export function MessageStatusChip({ activity: a }: { activity: Activity }) {
  const { t } = useTranslation();
  if (!isMessageChannel(a.channel) || a.direction !== 'outbound') return null;
  const status = a.messageStatus ?? (a.disposition === 'message_sent' ? 'queued' : null);
  if (!status) return null;
  return (
    <span
      className={`chip ${TONE[status] ?? ''}`}
      data-testid="message-status"
      data-status={status}
      title={a.messageError ?? t('history.statusHint')}
    >
      {t(`history.messageStatus.${status}`)}
    </span>
  );
}
