import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../stores/session';
import { errorText } from '../lib/errors';
import { LOCALES, type Locale } from '../i18n';

export function LoginScreen() {
  const { t, i18n } = useTranslation();
  const settings = useSession((s) => s.settings);
  const busy = useSession((s) => s.busy);
  const error = useSession((s) => s.loginError);
  const login = useSession((s) => s.login);
  const setLocale = useSession((s) => s.setLocale);
  const [serverUrl, setServerUrl] = useState(settings?.serverUrl ?? '');
  const [organization, setOrganization] = useState(settings?.organization ?? '');
  const locked = useSession((s) => (s.session?.locked ? s.session : null));
  const [username, setUsername] = useState(locked?.user.username ?? '');
  const [password, setPassword] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!username || !password) return;
    void login(username.trim(), password, serverUrl.trim(), organization.trim());
  };
  const fieldError = (field: string) => (error?.field === field ? errorText(t, error) : null);

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <h1 id="login-title">{t('app.title')}</h1>
        <p className="muted">{t('login.subtitle')}</p>
        {locked?.locked && (
          <div className="form-error" role="status" data-testid="login-locked">
            {t(`login.locked.${locked.locked}`, { name: locked.user.displayName })}
          </div>
        )}
        <label>
          {t('login.serverUrl')}
          <input name="serverUrl" type="url" value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} autoComplete="url" />
          {fieldError('serverUrl') && <span className="field-error">{fieldError('serverUrl')}</span>}
        </label>
        <label>
          {t('login.organization')}
          <input name="organization" value={organization} onChange={(e) => setOrganization(e.target.value)} autoComplete="organization" />
        </label>
        <label>
          {t('login.username')}
          <input
            name="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            autoFocus
            required
          />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
          />
        </label>
        {error && !error.field && (
          <div className="form-error" role="alert" data-testid="login-error">
            {errorText(t, error)}
          </div>
        )}
        {error && error.field && error.field !== 'serverUrl' && (
          <div className="form-error" role="alert" data-testid="login-error">
            {errorText(t, error)}
          </div>
        )}
        <button type="submit" className="primary" disabled={busy || !username || !password}>
          {busy ? t('login.signingIn') : t('login.submit')}
        </button>
        <select
          aria-label={t('settings.language')}
          className="login-lang"
          value={i18n.language}
          onChange={(e) => void setLocale(e.target.value as Locale)}
        >
          {LOCALES.map((l) => (
            <option key={l} value={l}>
              {t(`settings.locale.${l}`)}
            </option>
          ))}
        </select>
      </form>
    </main>
  );
}
