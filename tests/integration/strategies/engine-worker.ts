/**
 * One strategy engine in its own process (the two-instance test starts two): pg-boss workers on
 * the shared PostgreSQL, the engine's clock fixed at STRATEGY_NOW, SMS through the fake Twilio.
 * Plans the day at once (both instances do: the ledger keeps one run per step), then sweeps.
 */
import { openDb } from '../../../src/server/db';
import { twilioSms } from '../../../src/server/messaging/providers/twilio';
import { startStrategyEngine } from '../../../src/server/strategies/engine';

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} missing`);
  return v;
};
const db = await openDb({ url: env('DATABASE_URL') });
const at = new Date(env('STRATEGY_NOW'));
const engine = await startStrategyEngine({
  db,
  databaseUrl: env('DATABASE_URL'),
  now: () => at,
  providers: {
    sms: twilioSms({ baseUrl: env('TWILIO_URL'), accountSid: env('TWILIO_SID'), authToken: env('TWILIO_TOKEN'), from: '+15005550006' }),
  },
  rate: { sms: 50 },
  sweepSeconds: 2,
  onError: (e) => console.error('engine error', e),
});
await engine.planNow();
console.log('planned');
const stop = async () => {
  await engine.stop();
  await db.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
