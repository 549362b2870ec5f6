import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { getApi } from '../api';
import type { AccountDetail } from '../../shared/api/contract';
import { useSession } from '../stores/session';
import { errorText } from '../lib/errors';
import { useAction } from '../lib/useAction';
import { formatDateTime } from '../lib/datetime';

export function NotesPanel({ detail, noteRef }: { detail: AccountDetail; noteRef?: React.RefObject<HTMLTextAreaElement | null> }) {
  const { t, i18n } = useTranslation();
  const me = useSession((s) => s.session?.user.id);
  const [body, setBody] = useState('');
  const { busy, error, run } = useAction();
  const notes = [...detail.notes].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim()) return;
    // the account is read again on the dataChanged the write emits (stores/data.ts)
    await run(async () => {
      await getApi().addNote({ accountId: detail.account.id, body: body.trim() });
      setBody('');
    });
  };

  return (
    <section className="card" aria-labelledby="notes-title">
      <h3 id="notes-title">{t('notes.title')}</h3>
      <form onSubmit={(e) => void submit(e)} className="note-form">
        <textarea
          ref={noteRef}
          aria-label={t('notes.add')}
          placeholder={t('notes.placeholder')}
          value={body}
          maxLength={4000}
          rows={2}
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              e.stopPropagation();
              void submit(e);
            }
          }}
        />
        <button type="submit" disabled={busy || !body.trim()}>
          {t('notes.add')}
        </button>
        {error && <span className="field-error">{errorText(t, error)}</span>}
      </form>
      <ul className="plain notes">
        {notes.map((n) => (
          <li key={n.id} data-testid="note">
            <div className="muted small">
              {formatDateTime(n.createdAt, detail.debtor.timeZone, i18n.language)} ·{' '}
              {n.authorId === me ? t('history.you') : n.authorId.slice(0, 8)}
              {n.recordedAt === null && <span className="chip chip-pending">{t('history.pending')}</span>}
            </div>
            <div className="note-body">{n.body}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}
