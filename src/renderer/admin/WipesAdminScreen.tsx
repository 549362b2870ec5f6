import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Trash2 } from 'lucide-react';
import type { AdminUser } from '../../shared/api/users';
import type { WipeMode, WipeOrderEntry } from '../../shared/domain/security';
import { getApi } from '../api';
import { formatDateTime } from '../lib/datetime';
import { errorText } from '../lib/errors';
import { useAction, useLoad } from '../lib/useAction';
import { useSession } from '../stores/session';

const MODES: WipeMode[] = ['after_sync', 'immediate'];

/**
 * The administrators' device wipes: order every workstation of a user erased (a lost or stolen
 * laptop, someone who left), with a confirmation that says what it does, and the orders given,
 * pending until the user's workstations make contact. The server records and audits each order.
 * Online only.
 */
export function WipesAdminScreen() {
  const { t, i18n } = useTranslation();
  const me = useSession((s) => s.session?.user.id);
  const [reload, setReload] = useState(0);
  const { data, error } = useLoad(() => Promise.all([getApi().listUsers(), getApi().listWipeOrders()]), [reload]);
  const [asking, setAsking] = useState<AdminUser | null>(null);
  const [mode, setMode] = useState<WipeMode>('after_sync');
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [users, orders] = data ?? [null, null];
  const pendingFor = (userId: string) => orders?.some((o) => o.userId === userId && o.doneAt === null) ?? false;

  const confirm = async (u: AdminUser) => {
    const ok = await action.run(() => getApi().orderWipe({ userId: u.id, mode }));
    if (ok) {
      setDone(t('wipes.ordered', { name: u.displayName }));
      setAsking(null);
      setReload((n) => n + 1);
    }
  };

  return (
    <section className="card admin-wipes" aria-labelledby="wipes-title" data-testid="wipes-admin">
      <h2 id="wipes-title">{t('wipes.title')}</h2>
      <p className="muted">{t('wipes.help')}</p>
      {error && (
        <p className="form-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {data === null && !error && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {done && (
        <p className="form-success" role="status" data-testid="wipe-ordered">
          {done}
        </p>
      )}
      {users && (
        <table className="table wipe-users">
          <caption className="sr-only">{t('wipes.usersCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('wipes.user')}</th>
              <th scope="col">{t('wipes.role')}</th>
              <th scope="col">{t('wipes.state')}</th>
              <th scope="col">
                <span className="sr-only">{t('wipes.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-testid="wipe-user" data-username={u.username}>
                <th scope="row">
                  {u.displayName} <span className="muted small">{u.username}</span>
                </th>
                <td>{t(`role.${u.role}`)}</td>
                <td>{pendingFor(u.id) ? <span className="chip chip-pending">{t('wipes.pending')}</span> : '—'}</td>
                <td className="wipe-actions">
                  {asking?.id === u.id ? (
                    <div className="wipe-confirm" role="group" aria-label={t('wipes.confirmTitle', { name: u.displayName })}>
                      <strong>{t('wipes.confirmTitle', { name: u.displayName })}</strong>
                      <span>{t('wipes.confirmText')}</span>
                      <label>
                        {t('wipes.mode')}
                        <select name="mode" value={mode} onChange={(e) => setMode(e.target.value as WipeMode)}>
                          {MODES.map((m) => (
                            <option key={m} value={m}>
                              {t(`wipes.modes.${m}`)}
                            </option>
                          ))}
                        </select>
                      </label>
                      <span className="form-actions">
                        <button
                          type="button"
                          className="danger-solid with-icon"
                          disabled={action.busy}
                          data-testid="wipe-confirm"
                          onClick={() => void confirm(u)}
                        >
                          <Trash2 size={14} aria-hidden="true" />
                          {t('wipes.confirm')}
                        </button>
                        <button type="button" onClick={() => setAsking(null)}>
                          {t('common.cancel')}
                        </button>
                      </span>
                      {action.error && (
                        <span className="field-error" role="alert">
                          {errorText(t, action.error)}
                        </span>
                      )}
                    </div>
                  ) : (
                    <button
                      type="button"
                      className="small"
                      disabled={u.id === me}
                      title={u.id === me ? t('wipes.notSelf') : undefined}
                      data-testid="wipe-order"
                      onClick={() => {
                        setAsking(u);
                        setMode('after_sync');
                        setDone(null);
                        action.setError(null);
                      }}
                    >
                      {t('wipes.order')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {orders && (
        <>
          <h3>{t('wipes.orders')}</h3>
          {orders.length === 0 ? (
            <p className="muted">{t('wipes.none')}</p>
          ) : (
            <table className="table" data-testid="wipe-orders">
              <thead>
                <tr>
                  <th scope="col">{t('wipes.user')}</th>
                  <th scope="col">{t('wipes.orderedAt')}</th>
                  <th scope="col">{t('wipes.orderedBy')}</th>
                  <th scope="col">{t('wipes.mode')}</th>
                  <th scope="col">{t('wipes.state')}</th>
                </tr>
              </thead>
              <tbody>
                {orders.map((o: WipeOrderEntry) => (
                  <tr key={o.id} data-testid="wipe-order-row" data-username={o.username} data-state={o.doneAt ? 'done' : 'pending'}>
                    <td>
                      {o.displayName} <span className="muted small">{o.username}</span>
                    </td>
                    <td>{formatDateTime(o.orderedAt, zone, i18n.language)}</td>
                    <td>{o.orderedBy}</td>
                    <td>{t(`wipes.modes.${o.mode}`)}</td>
                    <td>
                      {o.doneAt ? (
                        <span className="chip chip-ok">{t('wipes.doneAt', { time: formatDateTime(o.doneAt, zone, i18n.language) })}</span>
                      ) : (
                        <span className="chip chip-pending">{t('wipes.pending')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
