// A real workstation in its own process, to be killed with SIGKILL by crash.test.ts.
// It writes outcomes (some with a promise: two mutations in one local transaction) as fast as it
// can while its sync engine runs, and prints `ACK <activityId> <promiseId|->` on stdout only after
// the handler returned, i.e. after the local commit. `SYNC 1` / `SYNC 0` mark sync cycles.
// Env: DATA_DIR, SERVER_URL, USERNAME, PASSWORD, WRITE_DELAY_MS.
import { writeSync } from 'node:fs';
import { createWorkstation } from '../../../src/main/services';
import { API } from '../../../src/shared/api/contract';
import { promiseWithinPolicy } from '../../torture/promise-plan';

const out = (line: string) => writeSync(1, `${line}\n`); // synchronous: nothing buffered is lost at SIGKILL

const ws = await createWorkstation({
  dataDir: process.env.DATA_DIR!,
  defaultServerUrl: process.env.SERVER_URL!,
  syncIntervalMs: 200,
  tickMs: 3_600_000,
});
ws.events.onSyncState((s) => out(`SYNC ${s.syncing ? 1 : 0} pending=${s.pending}`));
if (!(await ws.handlers.getSession(undefined))) {
  await ws.handlers.login(API.login.input.parse({ username: process.env.USERNAME, password: process.env.PASSWORD }));
}
await ws.handlers.syncNow(undefined);
const page = await ws.handlers.listQueue(API.listQueue.input.parse({ limit: 50, contactableOnly: false }));
const accounts = page.rows.filter((r) => r.balanceMinor > 0).map((r) => r.accountId);
const balances = new Map(page.rows.map((r) => [r.accountId, r.balanceMinor]));
if (accounts.length === 0) throw new Error('no accounts to write to');
out(`READY ${accounts.length}`);

const delay = Number(process.env.WRITE_DELAY_MS ?? 0);
for (let i = 0; ; i++) {
  const withPromise = i % 4 === 0;
  const accountId = accounts[i % accounts.length]!;
  const r = await ws.handlers.logOutcome(
    API.logOutcome.input.parse({
      accountId,
      channel: 'call',
      direction: 'inbound', // inbound: logged outbound contacts are checked like placing them (refused at night, or twice a day); this test is about sync
      disposition: withPromise ? 'promise_to_pay' : 'no_answer',
      note: `crash ${process.pid} #${i}`,
      promise: withPromise ? promiseWithinPolicy(balances.get(accountId)!, { percent: 10 + (i % 40) }) : null,
    }),
  );
  out(`ACK ${r.activityId} ${r.promiseId ?? '-'}`);
  if (delay > 0) await new Promise((res) => setTimeout(res, delay));
}
