import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OrgMessagingConfigInput, type OrgMessagingConfigView } from '../../shared/domain/replies';
import { getApi } from '../api';
import { errorText } from '../lib/errors';
import { useAction, useLoad } from '../lib/useAction';

type Plain = 'twilioAccountSid' | 'whatsappPhoneNumberId' | 'imapHost' | 'imapPort' | 'imapUser' | 'imapMailbox';
type Secret = 'twilioAuthToken' | 'whatsappAppSecret' | 'whatsappVerifyToken' | 'imapPassword';
const SECRET_SET: Record<Secret, keyof OrgMessagingConfigView> = {
  twilioAuthToken: 'twilioAuthTokenSet',
  whatsappAppSecret: 'whatsappAppSecretSet',
  whatsappVerifyToken: 'whatsappVerifyTokenSet',
  imapPassword: 'imapPasswordSet',
};
const GROUPS: ReadonlyArray<{ id: string; fields: ReadonlyArray<Plain | Secret> }> = [
  { id: 'twilio', fields: ['twilioAccountSid', 'twilioAuthToken'] },
  { id: 'whatsapp', fields: ['whatsappPhoneNumberId', 'whatsappAppSecret', 'whatsappVerifyToken'] },
  { id: 'imap', fields: ['imapHost', 'imapPort', 'imapUser', 'imapPassword', 'imapMailbox'] },
];
const isSecret = (f: string): f is Secret => f in SECRET_SET;

/**
 * The organisation's provider accounts (Twilio, WhatsApp Cloud API) and reply mailbox (IMAP), for
 * admins. Secrets are write-only: the screen never receives them, shows "configurado" when one is
 * stored, sends a secret only when the admin types a new one (left empty, the stored one stays) or
 * removes it. The shared schema checks each field as typed; every save is audited on the server.
 */
export function ProvidersAdminScreen() {
  const { t } = useTranslation();
  const [reload, setReload] = useState(0);
  const { data, error } = useLoad(() => getApi().getMessagingConfig(), [reload]);
  const [plain, setPlain] = useState<Record<Plain, string>>({
    twilioAccountSid: '',
    whatsappPhoneNumberId: '',
    imapHost: '',
    imapPort: '',
    imapUser: '',
    imapMailbox: 'INBOX',
  });
  const [secure, setSecure] = useState(true);
  const [secrets, setSecrets] = useState<Partial<Record<Secret, string | null>>>({});
  const [saved, setSaved] = useState(false);
  const save = useAction();

  useEffect(() => {
    if (!data) return;
    setPlain({
      twilioAccountSid: data.twilioAccountSid ?? '',
      whatsappPhoneNumberId: data.whatsappPhoneNumberId ?? '',
      imapHost: data.imapHost ?? '',
      imapPort: data.imapPort === null ? '' : String(data.imapPort),
      imapUser: data.imapUser ?? '',
      imapMailbox: data.imapMailbox,
    });
    setSecure(data.imapSecure);
    setSecrets({});
  }, [data]);

  const orNull = (v: string) => (v.trim() === '' ? null : v.trim());
  const body = {
    twilioAccountSid: orNull(plain.twilioAccountSid),
    whatsappPhoneNumberId: orNull(plain.whatsappPhoneNumberId),
    imapHost: orNull(plain.imapHost),
    imapPort: plain.imapPort.trim() === '' ? null : Number(plain.imapPort),
    imapSecure: secure,
    imapUser: orNull(plain.imapUser),
    imapMailbox: plain.imapMailbox.trim() || 'INBOX',
    // a secret is sent only when typed (a new one) or removed (null); otherwise the stored one stays
    ...Object.fromEntries(Object.entries(secrets).filter(([, v]) => v === null || (v ?? '') !== '')),
  };
  const checked = OrgMessagingConfigInput.safeParse(body);
  const issues = new Set(checked.success ? [] : checked.error.issues.map((i) => String(i.path[0])));
  const serverField = save.error?.field ?? null;

  const edit = () => {
    setSaved(false);
    save.setError(null);
  };
  const onSave = async () => {
    if (!checked.success) return;
    const input = checked.data;
    if (await save.run(() => getApi().saveMessagingConfig(input))) {
      setSaved(true);
      setReload((n) => n + 1);
    }
  };

  const field = (f: Plain | Secret) => {
    const label = t(`providers.fields.${f}`);
    const bad = issues.has(f) || serverField === f || undefined;
    const problem = issues.has(f) ? t('providers.invalid') : serverField === f && save.error ? errorText(t, save.error) : null;
    if (isSecret(f)) {
      const stored = !!data?.[SECRET_SET[f]] && secrets[f] !== null;
      return (
        <div key={f} className="secret-field">
          <label>
            {label}{' '}
            <span className={stored ? 'chip chip-ok' : 'chip'} data-testid={`secret-${f}`}>
              {stored ? t('providers.set') : t('providers.notSet')}
            </span>
            <input
              type="password"
              name={f}
              autoComplete="new-password"
              aria-invalid={bad}
              placeholder={stored ? t('providers.keep') : ''}
              value={secrets[f] ?? ''}
              onChange={(e) => {
                setSecrets((s) => ({ ...s, [f]: e.target.value }));
                edit();
              }}
            />
          </label>
          {stored && (
            <button
              type="button"
              className="small"
              data-testid={`remove-${f}`}
              aria-label={`${t('providers.remove')}: ${label}`}
              onClick={() => {
                setSecrets((s) => ({ ...s, [f]: null }));
                edit();
              }}
            >
              {t('providers.remove')}
            </button>
          )}
          {problem && (
            <span className="field-error" data-field={f}>
              {problem}
            </span>
          )}
        </div>
      );
    }
    return (
      <label key={f}>
        {label}
        <input
          name={f}
          aria-invalid={bad}
          inputMode={f === 'imapPort' ? 'numeric' : undefined}
          value={plain[f]}
          onChange={(e) => {
            setPlain((p) => ({ ...p, [f]: e.target.value }));
            edit();
          }}
        />
        {problem && (
          <span className="field-error" data-field={f}>
            {problem}
          </span>
        )}
      </label>
    );
  };

  return (
    <section className="card admin-providers" aria-labelledby="providers-title" data-testid="providers-admin">
      <h2 id="providers-title">{t('providers.title')}</h2>
      <p className="muted">{t('providers.help')}</p>
      {error && (
        <p className="form-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {data && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void onSave();
          }}
        >
          {GROUPS.map((g) => (
            <fieldset key={g.id} data-testid={`providers-${g.id}`}>
              <legend>{t(`providers.groups.${g.id}`)}</legend>
              <div className="providers-grid">
                {g.fields.map(field)}
                {g.id === 'imap' && (
                  <label className="inline">
                    <input
                      type="checkbox"
                      name="imapSecure"
                      checked={secure}
                      onChange={(e) => {
                        setSecure(e.target.checked);
                        edit();
                      }}
                    />
                    {t('providers.fields.imapSecure')}
                  </label>
                )}
              </div>
            </fieldset>
          ))}
          {save.error && !serverField && (
            <p className="field-error" role="alert">
              {errorText(t, save.error)}
            </p>
          )}
          {saved && (
            <p className="form-success" role="status" data-testid="providers-saved">
              {t('providers.saved')}
            </p>
          )}
          <div className="form-actions">
            <button type="submit" className="primary" data-testid="providers-save" disabled={save.busy || !checked.success}>
              {save.busy ? t('common.saving') : t('providers.save')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
