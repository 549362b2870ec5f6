import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/** Child Node processes running TypeScript through tsx, watched line by line, killable with SIGKILL. */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface WatchedChild {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  /** Resolves with the first line (already seen or future) matching `pred`. */
  waitFor(pred: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runTs(file: string, env: Record<string, string>, args: string[] = []): WatchedChild {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let err = '';
  let buf = '';
  const waiters = new Set<{ pred: (l: string) => boolean; resolve: (l: string) => void }>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      for (const w of [...waiters])
        if (w.pred(line)) {
          waiters.delete(w);
          w.resolve(line);
        }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    lines,
    stderr: () => err,
    exited,
    waitFor(pred, timeoutMs = 30_000) {
      const seen = lines.find(pred);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = {
          pred,
          resolve: (l: string) => {
            clearTimeout(t);
            resolve(l);
          },
        };
        const t = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`child ${file}: timed out; stderr: ${err.slice(-2000)}`));
        }, timeoutMs);
        waiters.add(w);
        void exited.then(({ code, signal }) => {
          if (!waiters.has(w)) return;
          waiters.delete(w);
          clearTimeout(t);
          reject(new Error(`child ${file} exited (${code ?? signal}) before the expected line; stderr: ${err.slice(-2000)}`));
        });
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The real server CLI (src/server/cli/serve.ts) in its own process, on PostgreSQL. */
export async function startServerProcess(databaseUrl: string, port: number): Promise<WatchedChild> {
  const p = runTs('src/server/cli/serve.ts', { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1' });
  await p.waitFor((l) => l.includes('listening on'), 60_000);
  return p;
}
