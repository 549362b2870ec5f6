import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runTs, type WatchedChild } from '../integration/adversarial/processes';

/**
 * Debian's HAProxy in front of server instances on loopback, as an installation would run it:
 * health checks on /healthz, a user's requests hashed to one instance by their bearer token
 * (consistent hashing: the pull's next page computed ahead on that instance is found there; when
 * it dies only its users move), a refused connection retried on another instance. Requests in
 * flight on an instance that dies are not retried by the balancer (clients resend them; pushes are
 * idempotent). Every answer names the instance that served it (x-served-by), so a test knows
 * where each user's requests go.
 */

export interface Haproxy {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * check 'http': GET /healthz, which answers 503 when the instance cannot reach the database within
 * 1 s (what an installation wants). 'tcp': the port accepts — a dead process is seen as fast, and
 * an instance slowed by a loaded machine is never taken out for a moment (what a test that knows
 * which instance serves whom needs).
 */
export function haproxyConfig(port: number, servers: Array<{ name: string; port: number }>, check: 'http' | 'tcp' = 'http'): string {
  return `global
  maxconn 4096

defaults
  mode http
  option redispatch 1
  retries 3
  timeout connect 1s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 10s

frontend api
  bind 127.0.0.1:${port}
  option forwardfor
  http-response set-header x-served-by %s
  default_backend servers

backend servers
  balance hdr(authorization)
  hash-type consistent
${check === 'http' ? '  option httpchk GET /healthz\n  http-check expect status 200\n' : ''}  default-server inter 300ms fall 2 rise 2
${servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check`).join('\n')}
`;
}

export async function startHaproxy(servers: Array<{ name: string; port: number }>, check: 'http' | 'tcp' = 'http'): Promise<Haproxy> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'haproxy-'));
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(cfg, haproxyConfig(port, servers, check));
  // -db: stay in the foreground
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stdout!.resume();
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // ready when it answers through to an instance
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${err}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`haproxy did not come up: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Instance {
  name: string;
  port: number;
  process: WatchedChild;
}

/**
 * `count` real server processes (src/server/cli/serve.ts, `npm run server`'s entry) on one
 * PostgreSQL database, each on its own port, trusting the balancer's X-Forwarded-For. Each one's
 * database connections carry its name as application_name (pg_stat_activity tells them apart).
 */
export async function startInstances(databaseUrl: string, count: number, env: Record<string, string> = {}): Promise<Instance[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const port = await freePort();
      const p = runTs('src/server/cli/serve.ts', {
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        TRUST_PROXY: '127.0.0.1',
        PGAPPNAME: `s${i + 1}`,
        ...env,
      });
      await p.waitFor((l) => l.includes('listening on'), 90_000);
      return { name: `s${i + 1}`, port, process: p };
    }),
  );
}
