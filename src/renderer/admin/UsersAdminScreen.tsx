import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminUser, Team, UpdateUserRequest } from '../../shared/api/users';
import { PASSWORD_MIN_LENGTH } from '../../shared/api/users';
import { Role } from '../../shared/domain/enums';
import { getApi } from '../api';
import { errorText, toUiError } from '../lib/errors';
import { useAction } from '../lib/useAction';
import { useSession } from '../stores/session';

const EMPTY = { username: '', displayName: '', role: 'agent' as Role, teamId: '', password: '' };

/**
 * The organisation's users for an administrator: create one, change a role or team, disable or
 * enable. Online only: the server checks every change (last admin, unique names, password
 * policy), audits it, and moves the team leads' local stores at their next sync.
 */
export function UsersAdminScreen() {
  const { t } = useTranslation();
  const me = useSession((s) => s.session?.user.id);
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const [teams, setTeams] = useState<Team[]>([]);
  const action = useAction();
  const { busy, error, setError } = action;
  const [notice, setNotice] = useState<string | null>(null);
  const [form, setForm] = useState(EMPTY);

  const load = async () => {
    try {
      const [u, tm] = await Promise.all([getApi().listUsers(), getApi().listTeams()]);
      setUsers(u);
      setTeams(tm);
    } catch (e) {
      setError(toUiError(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const run = (change: () => Promise<unknown>, done: string) => {
    setNotice(null);
    return action.run(async () => {
      await change();
      setNotice(done);
      await load();
    });
  };

  const update = (u: AdminUser, change: UpdateUserRequest) =>
    run(() => getApi().updateUser({ id: u.id, change }), t('users.saved', { username: u.username }));

  const create = async () => {
    const ok = await run(
      () =>
        getApi().createUser({
          username: form.username.trim(),
          displayName: form.displayName,
          role: form.role,
          teamId: form.teamId || null,
          password: form.password,
        }),
      t('users.created', { username: form.username.trim() }),
    );
    if (ok) setForm(EMPTY);
  };

  const teamName = (id: string | null) => teams.find((x) => x.id === id)?.name ?? t('users.noTeam');
  const set = (k: keyof typeof EMPTY) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  if (!users && !error)
    return (
      <section className="card">
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      </section>
    );
  return (
    <section className="card admin-users" aria-labelledby="users-title" data-testid="users-admin">
      <h2 id="users-title">{t('users.title')}</h2>
      <p className="muted">{t('users.help')}</p>
      {error && (
        <p className="field-error" role="alert" data-testid="users-error" data-field={error.field ?? ''}>
          {error.field ? `${error.field}: ` : ''}
          {errorText(t, error)}
        </p>
      )}
      {notice && (
        <p className="ok-text" role="status" data-testid="users-notice">
          {notice}
        </p>
      )}
      <table className="audit" data-testid="users-table">
        <thead>
          <tr>
            <th>{t('users.username')}</th>
            <th>{t('users.displayName')}</th>
            <th>{t('users.role')}</th>
            <th>{t('users.team')}</th>
            <th>{t('users.state')}</th>
          </tr>
        </thead>
        <tbody>
          {(users ?? []).map((u) => (
            <tr key={u.id} data-testid="user-row" data-username={u.username} className={u.disabled ? 'muted' : undefined}>
              <td>{u.username}</td>
              <td>{u.displayName}</td>
              <td>
                <select
                  aria-label={t('users.role')}
                  name="role"
                  value={u.role}
                  disabled={busy}
                  onChange={(e) => void update(u, { role: e.target.value as Role })}
                >
                  {Role.options.map((r) => (
                    <option key={r} value={r}>
                      {t(`role.${r}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <select
                  aria-label={t('users.team')}
                  name="team"
                  value={u.teamId ?? ''}
                  disabled={busy}
                  title={teamName(u.teamId)}
                  onChange={(e) => void update(u, { teamId: e.target.value || null })}
                >
                  <option value="">{t('users.noTeam')}</option>
                  {teams.map((tm) => (
                    <option key={tm.id} value={tm.id}>
                      {tm.name}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                {u.disabled ? t('users.disabled') : t('users.enabled')}{' '}
                {u.id !== me && (
                  <button type="button" data-testid="user-toggle" disabled={busy} onClick={() => void update(u, { disabled: !u.disabled })}>
                    {u.disabled ? t('users.enable') : t('users.disable')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('users.new')}</h3>
      <form
        data-testid="user-create"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <label>
          {t('users.username')}
          <input name="username" autoComplete="off" value={form.username} onChange={set('username')} required />
        </label>
        <label>
          {t('users.displayName')}
          <input name="displayName" value={form.displayName} onChange={set('displayName')} required />
        </label>
        <label>
          {t('users.role')}
          <select name="role" value={form.role} onChange={set('role')}>
            {Role.options.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('users.team')}
          <select name="teamId" value={form.teamId} onChange={set('teamId')}>
            <option value="">{t('users.noTeam')}</option>
            {teams.map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('users.password', { min: PASSWORD_MIN_LENGTH })}
          <input name="password" type="password" autoComplete="new-password" value={form.password} onChange={set('password')} required />
        </label>
        <button type="submit" className="primary" disabled={busy} data-testid="user-create-submit">
          {busy ? t('common.saving') : t('users.create')}
        </button>
      </form>
    </section>
  );
}
