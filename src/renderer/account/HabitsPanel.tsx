import { useTranslation } from 'react-i18next';
import type { ContactHabits } from '../../shared/rules/contact-habits';
import { describeBestHours } from '../../shared/rules/contact-habits';

/**
 * The debtor's best hours to call and the recommended channel, each with its reason in words
 * (docs/contact-habits.md). Learned on the server, synced; hours are the debtor's wall clock.
 */
export function HabitsPanel({ habits }: { habits: ContactHabits | null }) {
  const { t, i18n } = useTranslation();
  if (!habits) return null;
  const lang = i18n.language.startsWith('en') ? 'en' : 'es';
  const pct = Math.round(habits.bestRate * 100);
  const rec = habits.channel;
  const recParams = rec ? { ...rec.reason.params, channel: t(`channel.${rec.channel}`) } : {};
  return (
    <dl className="kv" data-testid="habits">
      <dt>{t('habits.title')}</dt>
      <dd>
        <div data-testid="best-hours">
          <strong>
            {habits.bestHours.length
              ? t('habits.bestHours', { hours: describeBestHours(habits.bestHours, lang) })
              : t('habits.bestHoursNone')}
          </strong>
        </div>
        <div className="muted small" data-testid="best-hours-why">
          {habits.attempts > 0
            ? t('habits.bestHoursWhy', { count: habits.attempts, rpc: habits.rpc, pct })
            : t('habits.bestHoursNoHistory')}
        </div>
        {rec && (
          <>
            <div data-testid="recommended-channel">
              <strong>{t('habits.channel', { channel: t(`channel.${rec.channel}`) })}</strong>
            </div>
            <div className="muted small" data-testid="recommended-channel-why">
              {t(`habits.channelReason.${rec.reason.code}`, { ...recParams, defaultValue: rec.reason.code })}
            </div>
          </>
        )}
        <div className="muted small">{t('habits.segment', { segment: t(`segment.${habits.segment}`) })}</div>
      </dd>
    </dl>
  );
}
