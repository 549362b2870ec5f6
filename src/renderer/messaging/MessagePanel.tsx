import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountDetail, ComplianceDecision, MessageChannel, MessagePreview } from '../../shared/api/contract';
import { MESSAGE_CHANNELS } from '../../shared/domain/channels';
import { lastWhatsappReply, whatsappWindowUntil } from '../../shared/rules/whatsapp-window';
import { formatDateTime } from '../lib/datetime';
import { getApi } from '../api';
import { errorText, toUiError } from '../lib/errors';
import { useAction } from '../lib/useAction';
import { BlockedReason } from './BlockedReason';
import { MESSAGE_KINDS } from './compatible';

const CHANNELS: readonly MessageChannel[] = MESSAGE_CHANNELS;

/**
 * "Enviar mensaje": the agent picks a channel, a contact point and an organisation template, sees
 * the text as the debtor will read it, and sends. The workstation checks compliance (offline
 * too) and the send button is greyed with the reason while it refuses; the server checks again.
 */
export function MessagePanel({ detail }: { detail: AccountDetail }) {
  const { t, i18n } = useTranslation();
  const accountId = detail.account.id;
  const [freeMode, setFreeMode] = useState(false);
  const [freeText, setFreeText] = useState('');
  const [channel, setChannel] = useState<MessageChannel>('sms');
  const [templates, setTemplates] = useState<MessagePreview[]>([]);
  const [templateId, setTemplateId] = useState<string>('');
  const points = useMemo(
    () => detail.contactPoints.filter((cp) => MESSAGE_KINDS[channel].includes(cp.kind) && !cp.invalid),
    [detail, channel],
  );
  const [cpId, setCpId] = useState<string>('');
  const [decision, setDecision] = useState<ComplianceDecision | null>(null);
  const { busy, error, setError, run } = useAction();
  const [sent, setSent] = useState(false);

  useEffect(() => {
    let live = true;
    getApi()
      .listMessageTemplates({ accountId })
      .then(
        (list) => {
          if (live) setTemplates(list);
        },
        (e) => {
          if (live) setError(toUiError(e));
        },
      );
    return () => {
      live = false;
    };
    // `detail` changes after every write and when the workstation's templates change (admin edits reach it on sync)
  }, [accountId, detail]);

  const forChannel = templates.filter((x) => x.channel === channel);
  const template = forChannel.find((x) => x.id === templateId) ?? forChannel[0] ?? null;
  const cp = points.find((p) => p.id === cpId) ?? points[0] ?? null;

  useEffect(() => {
    let live = true;
    setDecision(null);
    if (!cp) return;
    getApi()
      .checkContact({ accountId, contactPointId: cp.id, channel })
      .then(
        (d) => {
          if (live) setDecision(d);
        },
        (e) => {
          if (live) setError(toUiError(e));
        },
      );
    return () => {
      live = false;
    };
  }, [accountId, cp?.id, channel, detail]);

  const blocked = decision !== null && !decision.allowed;
  // WhatsApp starts a conversation only with a template Meta approved: say so before the click
  // WhatsApp's 24-hour window since the debtor last wrote: free text inside it, approved templates only outside
  const windowUntil = channel === 'whatsapp' ? whatsappWindowUntil(lastWhatsappReply(detail.activities), new Date()) : null;
  const free = channel === 'whatsapp' && windowUntil !== null && freeMode;
  const unapproved = !free && channel === 'whatsapp' && template !== null && !template.whatsapp;
  const send = async () => {
    if (!cp || (!free && !template)) return;
    setSent(false);
    // the account is read again on the dataChanged the write emits (stores/data.ts)
    await run(async () => {
      if (free) await getApi().sendMessage({ accountId, contactPointId: cp.id, channel, text: freeText });
      else await getApi().sendMessage({ accountId, contactPointId: cp.id, channel, templateId: template!.id });
      setSent(true);
      if (free) setFreeText('');
    });
  };

  return (
    <section className="card message-panel" aria-labelledby="msg-title" data-testid="message-panel">
      <h3 id="msg-title">{t('messaging.title')}</h3>
      <div className="segmented" role="radiogroup" aria-label={t('messaging.channel')}>
        {CHANNELS.map((c) => (
          <button
            key={c}
            type="button"
            role="radio"
            aria-checked={channel === c}
            className={channel === c ? 'active' : ''}
            data-testid={`msg-channel-${c}`}
            onClick={() => {
              setChannel(c);
              setTemplateId('');
              setCpId('');
              setSent(false);
            }}
          >
            {t(`channel.${c}`)}
          </button>
        ))}
      </div>
      {points.length === 0 ? (
        <p className="muted">{t('messaging.noContactPoint')}</p>
      ) : (
        <label>
          {t('messaging.to')}
          <select value={cp?.id ?? ''} onChange={(e) => setCpId(e.target.value)} data-testid="msg-contact-point">
            {points.map((p) => (
              <option key={p.id} value={p.id}>
                {p.value}
                {p.doNotContact ? ` (${t('contact.dnc')})` : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      {channel === 'whatsapp' &&
        (windowUntil ? (
          <div className="msg-window" data-testid="msg-window" data-open="true">
            <p className="ok-text small">
              {t('messaging.windowOpen', { until: formatDateTime(windowUntil.toISOString(), detail.debtor.timeZone, i18n.language) })}
            </p>
            <label className="inline">
              <input type="checkbox" checked={freeMode} onChange={(e) => setFreeMode(e.target.checked)} data-testid="msg-free-mode" />{' '}
              {t('messaging.freeText')}
            </label>
          </div>
        ) : (
          <p className="muted small" data-testid="msg-window" data-open="false">
            {t('messaging.windowClosed')}
          </p>
        ))}
      {free ? (
        <label>
          {t('messaging.freeTextLabel')}
          <textarea value={freeText} maxLength={4000} rows={3} onChange={(e) => setFreeText(e.target.value)} data-testid="msg-free-text" />
        </label>
      ) : forChannel.length === 0 ? (
        <p className="muted">{t('messaging.noTemplates')}</p>
      ) : (
        <label>
          {t('messaging.template')}
          <select value={template?.id ?? ''} onChange={(e) => setTemplateId(e.target.value)} data-testid="msg-template">
            {forChannel.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
                {x.channel === 'whatsapp' && !x.whatsapp ? ` — ${t('messaging.unapproved')}` : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      {template && !free && (
        <div className="msg-preview" aria-label={t('messaging.preview')} data-testid="msg-preview">
          {template.subjectPreview !== null && (
            <p data-testid="msg-preview-subject">
              <span className="muted">{t('messaging.subject')}: </span>
              <strong>{template.subjectPreview}</strong>
            </p>
          )}
          <p style={{ whiteSpace: 'pre-wrap' }} data-testid="msg-preview-body">
            {template.preview}
          </p>
        </div>
      )}
      {unapproved && (
        <p className="field-error" role="note" id="msg-unapproved" data-testid="msg-unapproved">
          <strong>{t('messaging.unapproved')}</strong> {t('messaging.unapprovedWhy')}
        </p>
      )}
      <button
        type="button"
        className="primary"
        data-testid="msg-send"
        data-channel={channel}
        disabled={busy || !cp || (free ? freeText.trim() === '' : !template) || decision === null || blocked || unapproved}
        aria-describedby={unapproved ? 'msg-unapproved' : undefined}
        title={unapproved ? t('messaging.unapproved') : undefined}
        onClick={() => void send()}
      >
        {t('messaging.send', { channel: t(`channel.${channel}`) })}
      </button>
      {blocked && decision && (
        <BlockedReason decision={decision} timeZone={detail.debtor.timeZone} testId="msg-blocked" accountId={accountId} />
      )}
      {sent && (
        <p className="ok-text" role="status" data-testid="msg-queued">
          {t('messaging.queued')}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
    </section>
  );
}
