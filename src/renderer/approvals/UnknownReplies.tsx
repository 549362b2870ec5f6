import { useTranslation } from 'react-i18next';
import type { UnknownReply } from '../../shared/domain/replies';
import { getApi } from '../api';
import { formatDateTime } from '../lib/datetime';
import { errorText } from '../lib/errors';
import { useWorkList } from '../lib/useAction';

/**
 * Replies (SMS, WhatsApp, e-mail) from senders no debtor could be matched to, by number, address
 * or thread: the team lead reads them and marks them handled (who and when are kept on the server).
 */
const listUnknownReplies = () => getApi().listUnknownReplies();

export function UnknownReplies({ timeZone }: { timeZone: string }) {
  const { t, i18n } = useTranslation();
  const { items: replies, error, act } = useWorkList(listUnknownReplies);
  const handled = (id: string) => act(() => getApi().markReplyHandled({ id }));
  return (
    <section aria-labelledby="unknown-replies-title" data-testid="unknown-replies">
      <h3 id="unknown-replies-title">
        {t('replies.unknownTitle')} <span className="muted">({replies.length})</span>
      </h3>
      <p className="muted small">{t('replies.unknownHint')}</p>
      {error && (
        <div className="form-error" role="alert">
          {errorText(t, error)}
        </div>
      )}
      {replies.length === 0 ? (
        <p className="muted">{t('replies.unknownNone')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('replies.when')}</th>
              <th>{t('replies.channel')}</th>
              <th>{t('replies.from')}</th>
              <th>{t('replies.text')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {replies.map((r) => (
              <tr key={r.id} data-testid="unknown-reply">
                <td className="nowrap">{formatDateTime(r.receivedAt, timeZone, i18n.language)}</td>
                <td>{t(`channel.${r.channel}`)}</td>
                <td>{r.from}</td>
                <td className="note-cell">
                  {r.subject ? <strong>{r.subject} </strong> : null}
                  {r.body}
                </td>
                <td>
                  <button type="button" onClick={() => void handled(r.id)} data-testid="unknown-reply-handled">
                    {t('replies.markHandled')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
