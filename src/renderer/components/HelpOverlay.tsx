import { useTranslation } from 'react-i18next';
import { useNav } from '../stores/nav';
import { CALL_KEY } from '../lib/keyboard';

export const SHORTCUTS: ReadonlyArray<{ keys: string; action: string }> = [
  { keys: '?', action: 'help.toggle' },
  { keys: '/', action: 'help.search' },
  { keys: 'Enter / ↓', action: 'help.searchEnter' },
  { keys: 'j / ↓', action: 'help.next' },
  { keys: 'k / ↑', action: 'help.prev' },
  { keys: 'Enter', action: 'help.open' },
  { keys: 'Esc', action: 'help.back' },
  { keys: 'Alt+1 … Alt+9, Alt+0', action: 'help.disposition' },
  { keys: 'Ctrl+Enter', action: 'help.submit' },
  { keys: CALL_KEY, action: 'help.call' },
  { keys: 'n', action: 'help.note' },
  { keys: 'r', action: 'help.refresh' },
];

export function HelpOverlay() {
  const { t } = useTranslation();
  const close = () => useNav.getState().toggleHelp(false);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="help-title" onClick={close}>
      <div className="overlay-card" onClick={(e) => e.stopPropagation()}>
        <h2 id="help-title">{t('help.title')}</h2>
        <table className="shortcut-table">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <td>
                  <kbd>{s.keys}</kbd>
                </td>
                <td>{t(s.action)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={close} autoFocus>
          {t('common.close')}
        </button>
      </div>
    </div>
  );
}
