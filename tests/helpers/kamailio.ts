import { realClockEnv } from './browser';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The loopback registrar/proxy the softphone tests run against (resources/kamailio). */
export const KAMAILIO_CFG = fileURLToPath(new URL('../../resources/kamailio/kamailio.cfg', import.meta.url));
const KAMAILIO_BIN = process.env.KAMAILIO_BIN ?? '/usr/sbin/kamailio';

export interface SipRequestLine {
  method: string;
  ruri: string;
  from: string;
  proto: string;
  at: number;
}

export interface KamailioHandle {
  wsUrl: string;
  wsPort: number;
  udpPort: number;
  /** Every SIP request Kamailio received since start (parsed from its SIPREQ log lines). */
  requests(): SipRequestLine[];
  /** Raw stderr lines, for diagnosing a failing test. */
  log(): string[];
  stop(): Promise<void>;
  /** Stops and starts again on the same ports: registrations (in memory) are lost. */
  restart(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number, child: ChildProcess, log: string[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`kamailio exited with ${child.exitCode}:\n${log.slice(-20).join('\n')}`);
    const ok = await new Promise<boolean>((res) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        res(true);
      });
      s.once('error', () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`kamailio did not listen on ${port} within ${timeoutMs} ms:\n${log.slice(-20).join('\n')}`);
}

const REQ_LINE = /SIPREQ (\S+) (\S+) from (\S+) proto=(\S+)/;

/**
 * Runs Kamailio in the foreground (-DD -E) with its own pid file and run directory in a temp
 * dir, so no root is needed and several instances can run side by side on different ports.
 */
export async function startKamailio(opts: { port?: number; udpPort?: number } = {}): Promise<KamailioHandle> {
  const wsPort = opts.port ?? (await freePort());
  const udpPort = opts.udpPort ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'kamailio-'));
  const log: string[] = [];
  const requests: SipRequestLine[] = [];
  let child: ChildProcess | null = null;

  const launch = async () => {
    const proc = spawn(
      KAMAILIO_BIN,
      [
        '-DD',
        '-E',
        '-f',
        KAMAILIO_CFG,
        '-A',
        `WS_PORT=${wsPort}`,
        '-A',
        `UDP_PORT=${udpPort}`,
        '-P',
        join(dir, 'kamailio.pid'),
        '-Y',
        dir,
        '-w',
        dir,
        '-m',
        '64',
        '-M',
        '8',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: realClockEnv() ?? process.env },
    );
    child = proc;
    let partial = '';
    const onData = (buf: Buffer) => {
      const lines = (partial + buf.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        log.push(line);
        const m = REQ_LINE.exec(line);
        if (m) requests.push({ method: m[1]!, ruri: m[2]!, from: m[3]!, proto: m[4]!, at: Date.now() });
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    await waitForPort(wsPort, 10_000, proc, log);
  };

  const halt = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((res) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
      }, 3000);
      proc.once('exit', () => {
        clearTimeout(timer);
        res();
      });
      proc.kill('SIGTERM');
    });
  };

  await launch();
  return {
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    wsPort,
    udpPort,
    requests: () => [...requests],
    log: () => [...log],
    stop: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await halt();
      await launch();
    },
  };
}
