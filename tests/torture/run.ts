// `npm run test:torture`: the long torture run (≥ 1,000 offline/online cycles) on PostgreSQL.
// SEED, CYCLES, AGENTS and BACKEND (pg | pglite) override the defaults; a failure prints its seed.
import { FAULT_KINDS } from '../helpers/fault-proxy';
import { runTorture, TortureFailure } from './torture';

const seed = process.env.SEED ? Number(process.env.SEED) : Math.floor(Math.random() * 2 ** 31);
const cycles = Number(process.env.CYCLES ?? 1000);
const agents = Number(process.env.AGENTS ?? 4);
const backend = process.env.BACKEND === 'pglite' ? 'pglite' : 'pg';

console.log(`torture: seed=${seed} cycles=${cycles} agents=${agents} backend=${backend}`);
try {
  const s = await runTorture({ seed, cycles, agents, backend, log: (l) => console.log(`  ${l}`) });
  const writes = Object.values(s.writes).reduce((a, b) => a + b, 0);
  console.log(`\nOK: nothing lost, nothing duplicated; every store agrees with the server.`);
  console.log(`  seed           ${s.seed}`);
  console.log(`  cycles         ${s.cycles} × ${s.agents} agents (${s.offlineCycles} agent-cycles offline, ${s.restarts} restarts)`);
  console.log(
    `  writes         ${writes} (${Object.entries(s.writes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
  );
  console.log(`  receipts       ${s.receipts} issued, each on the server once, no number twice`);
  console.log(`  mutations      ${s.mutations} allocated = processed by the server, each once`);
  console.log(`  server rows    activities ${s.server.activities}, notes ${s.server.notes}, promises ${s.server.promises}`);
  console.log(`  requests       ${s.requests} through the fault proxies`);
  console.log(`  faults         ${s.totalFaults}: ${FAULT_KINDS.map((k) => `${k} ${s.faults[k]}`).join(', ')}`);
  console.log(`  duration       ${(s.durationMs / 1000).toFixed(1)} s`);
  process.exit(0);
} catch (e) {
  console.error(e instanceof TortureFailure ? e.message : e);
  console.error(`\nreproduce with: SEED=${seed} CYCLES=${cycles} AGENTS=${agents} BACKEND=${backend} npm run test:torture`);
  process.exit(1);
}
