import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP proxy on 127.0.0.1 that sits between a sync client and the server and misbehaves on
 * purpose, the way real networks do: it loses requests, loses answers after the server acted,
 * delivers twice, late and out of order, cuts bodies halfway and answers 5xx for the server.
 * Faults are drawn from a seeded PRNG in arrival order, so a run is reproducible up to the
 * interleaving of concurrent clients. Everything is bounded: delays and holds have a ceiling,
 * and after `maxFaults` faults the proxy only passes traffic.
 */

export const FAULT_KINDS = [
  'drop_request', // reset the client's socket before the server sees anything
  'drop_response', // forward, let the server commit, then reset the client's socket
  'duplicate', // send the request to the server twice (together, back to back, or the copy late), answer with one
  'delay', // wait a bounded random time before forwarding
  'reorder', // hold the request until a later one has been answered (or a bounded hold)
  'cut_request', // forward the headers and part of the body, then abort both sides
  'cut_response', // forward, send the client the headers and part of the body, then reset
  'status_500', // answer 500 without forwarding
  'status_502',
  'status_503',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type Decision = 'pass' | FaultKind;

export type FaultWeights = Partial<Record<Decision, number>>;

export interface RequestInfo {
  /** 1-based arrival number. */
  n: number;
  method: string;
  path: string;
  bodyBytes: number;
}

export interface FaultProxyOptions {
  /** Base URL of the real server, e.g. http://127.0.0.1:4000 */
  target: string;
  seed: number;
  /** Relative weights of each decision; defaults to DEFAULT_WEIGHTS. */
  weights?: FaultWeights;
  /** Overrides the weighted draw for a request (return undefined to fall back to the draw). */
  plan?: (req: RequestInfo, rng: Rng) => Decision | undefined;
  /** Only requests whose path matches are eligible for faults (default: all). */
  only?: (path: string) => boolean;
  /** Ceiling of a 'delay' fault in ms (default 300). */
  maxDelayMs?: number;
  /** Ceiling of a 'reorder' hold in ms when no later request comes (default 500). */
  maxHoldMs?: number;
  /** After this many faults the proxy passes everything (default: unlimited). */
  maxFaults?: number;
  /** Upstream request timeout in ms; the client gets a 504 (default 30 000). */
  upstreamTimeoutMs?: number;
  /** Mode at start (default 'faulty'). */
  mode?: ProxyMode;
}

/** faulty: draw a decision per request; pass: forward everything; offline: reset every request. */
export type ProxyMode = 'faulty' | 'pass' | 'offline';

export const DEFAULT_WEIGHTS: Record<Decision, number> = {
  pass: 60,
  drop_request: 5,
  drop_response: 6,
  duplicate: 6,
  delay: 5,
  reorder: 4,
  cut_request: 3,
  cut_response: 4,
  status_500: 2,
  status_502: 2,
  status_503: 3,
};

export interface FaultProxyStats {
  requests: number;
  /** Requests sent on to the server (a duplicate counts twice). */
  forwarded: number;
  /** Requests refused while offline (not counted as faults). */
  refusedOffline: number;
  faults: Record<FaultKind, number>;
  totalFaults: number;
}

export interface FaultProxy {
  url: string;
  port: number;
  setMode(mode: ProxyMode): void;
  readonly mode: ProxyMode;
  stats(): FaultProxyStats;
  /** Waits until no request (nor a late duplicate copy) is in flight through the proxy. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

import { createRng, type Rng } from '../../src/shared/lib/rng';

export { createRng, type Rng };

export function pickWeighted(rng: Rng, weights: FaultWeights): Decision {
  const entries = Object.entries(weights).filter(([, w]) => (w ?? 0) > 0) as [Decision, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  if (total <= 0) return 'pass';
  let x = rng() * total;
  for (const [k, w] of entries) {
    x -= w;
    if (x < 0) return k;
  }
  return entries[entries.length - 1]![0];
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
]);

interface UpstreamAnswer {
  status: number;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function forwardHeaders(h: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
  return out;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(opts.target);
  const rng = createRng(opts.seed);
  const weights = opts.weights ?? DEFAULT_WEIGHTS;
  const maxDelayMs = opts.maxDelayMs ?? 300;
  const maxHoldMs = opts.maxHoldMs ?? 500;
  const maxFaults = opts.maxFaults ?? Number.POSITIVE_INFINITY;
  const upstreamTimeoutMs = opts.upstreamTimeoutMs ?? 30_000;
  let mode: ProxyMode = opts.mode ?? 'faulty';
  let closed = false;

  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  let requests = 0;
  let forwarded = 0;
  let refusedOffline = 0;
  let totalFaults = 0;
  let inFlight = 0;
  let lateCopies = 0;
  const late = new Set<Promise<unknown>>();
  let idleWaiters: (() => void)[] = [];
  /** Held ('reorder') requests wait for the next answered request or their own timer. */
  let heldReleasers: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const notifyIdle = () => {
    if (inFlight > 0 || lateCopies > 0) return;
    const w = idleWaiters;
    idleWaiters = [];
    for (const f of w) f();
  };

  const releaseHeld = () => {
    const rs = heldReleasers;
    heldReleasers = [];
    for (const r of rs) r();
  };

  /** Sends one copy upstream; `cutAfter` aborts after that many body bytes (cut_request). */
  const sendUpstream = (req: http.IncomingMessage, body: Buffer, cutAfter?: number): Promise<UpstreamAnswer> => {
    forwarded++;
    return new Promise((resolve, reject) => {
      const headers = forwardHeaders(req.headers);
      headers['content-length'] = String(body.length);
      headers.host = target.host;
      const up = http.request(
        {
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers,
          agent,
          timeout: upstreamTimeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 502, headers: forwardHeaders(res.headers), body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      up.on('timeout', () => up.destroy(new Error('upstream timeout')));
      up.on('error', reject);
      if (cutAfter !== undefined) {
        up.flushHeaders();
        up.write(body.subarray(0, cutAfter), () => {
          // Give the server a moment to start reading before the cut, so it sees a truncated body.
          setTimeout(() => {
            up.destroy(new Error('cut'));
            resolve({ status: 0, headers: {}, body: Buffer.alloc(0) });
          }, 20);
        });
        return;
      }
      up.end(body);
    });
  };

  const reply = (res: http.ServerResponse, a: UpstreamAnswer) => {
    if (res.destroyed) return;
    res.writeHead(a.status, { ...a.headers, 'content-length': String(a.body.length) });
    res.end(a.body);
  };

  const reset = (req: http.IncomingMessage) => {
    req.socket.resetAndDestroy();
  };

  const decide = (info: RequestInfo): Decision => {
    if (mode === 'pass' || totalFaults >= maxFaults) return 'pass';
    if (opts.only && !opts.only(info.path)) return 'pass';
    return opts.plan?.(info, rng) ?? pickWeighted(rng, weights);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const n = ++requests;
    if (mode === 'offline' || closed) {
      refusedOffline++;
      reset(req);
      return;
    }
    const body = await readBody(req);
    const info: RequestInfo = { n, method: req.method ?? 'GET', path: req.url ?? '/', bodyBytes: body.length };
    const decision = decide(info);
    if (decision !== 'pass') {
      faults[decision]++;
      totalFaults++;
    }

    switch (decision) {
      case 'drop_request':
        reset(req);
        return;
      case 'status_500':
      case 'status_502':
      case 'status_503': {
        const status = Number(decision.slice(7));
        const payload = Buffer.from(JSON.stringify({ error: { code: 'injected_fault', message: `fault proxy: ${status}` } }));
        reply(res, { status, headers: { 'content-type': 'application/json' }, body: payload });
        return;
      }
      case 'cut_request': {
        const cut = Math.max(0, Math.floor(body.length * (0.2 + 0.6 * rng())));
        await sendUpstream(req, body, cut).catch(() => undefined);
        reset(req);
        return;
      }
      case 'delay':
        await sleep(Math.floor(rng() * maxDelayMs));
        break;
      case 'reorder':
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.floor(maxHoldMs * (0.5 + 0.5 * rng())));
          heldReleasers.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        break;
      default:
        break;
    }

    let answer: UpstreamAnswer;
    try {
      if (decision === 'duplicate') {
        // Three shapes: both copies at once (races inside the server), one after the other, or
        // the second copy late, after the client has its answer and has moved on (a stale
        // retransmission arriving behind newer requests).
        const shape = rng();
        const useFirst = rng() < 0.5;
        let answers: PromiseSettledResult<UpstreamAnswer>[];
        if (shape < 1 / 3) {
          answers = await Promise.allSettled([sendUpstream(req, body), sendUpstream(req, body)]);
        } else if (shape < 2 / 3) {
          const first = await Promise.allSettled([sendUpstream(req, body)]);
          const second = await Promise.allSettled([sendUpstream(req, body)]);
          answers = [...first, ...second];
        } else {
          answers = await Promise.allSettled([sendUpstream(req, body)]);
          const lateMs = Math.floor(maxHoldMs * (0.5 + 0.5 * rng()));
          lateCopies++;
          const copy = sleep(lateMs)
            .then(() => (closed ? undefined : sendUpstream(req, body)))
            .catch(() => undefined)
            .finally(() => {
              lateCopies--;
              late.delete(copy);
              notifyIdle();
            });
          late.add(copy);
        }
        const chosen = answers.length > 1 && !useFirst ? answers[1]! : answers[0]!;
        if (chosen.status === 'rejected') throw chosen.reason;
        answer = chosen.value;
      } else {
        answer = await sendUpstream(req, body);
      }
    } catch {
      // The server itself was unreachable (e.g. stopped): behave like a gateway.
      if (decision !== 'reorder') releaseHeld();
      reply(res, {
        status: 502,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{"error":{"code":"bad_gateway","message":"upstream unreachable"}}'),
      });
      return;
    }
    // A later request has been answered: whatever was held behind it may go now (reordered).
    if (decision !== 'reorder') releaseHeld();

    if (decision === 'drop_response') {
      reset(req);
      return;
    }
    if (decision === 'cut_response') {
      if (res.destroyed) return;
      res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
      const part = Math.floor(answer.body.length * (0.2 + 0.6 * rng()));
      res.write(answer.body.subarray(0, part), () => setTimeout(() => reset(req), 5));
      return;
    }
    reply(res, answer);
  };

  const server = http.createServer((req, res) => {
    inFlight++;
    handle(req, res)
      .catch(() => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(502);
          res.end();
        }
      })
      .finally(() => {
        inFlight--;
        notifyIdle();
      });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get mode() {
      return mode;
    },
    setMode(m) {
      mode = m;
      // Going offline also kills idle keep-alive connections, like a pulled cable.
      if (m === 'offline') for (const s of sockets) s.destroy();
    },
    stats: () => ({ requests, forwarded, refusedOffline, faults: { ...faults }, totalFaults }),
    idle: () => (inFlight === 0 && lateCopies === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
    async close() {
      closed = true;
      releaseHeld();
      await Promise.allSettled([...late]);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      agent.destroy();
    },
  };
}

/** One line per kind, for run reports. */
export function formatFaults(s: FaultProxyStats): string {
  const parts = FAULT_KINDS.filter((k) => s.faults[k] > 0).map((k) => `${k}=${s.faults[k]}`);
  return `requests=${s.requests} forwarded=${s.forwarded} faults=${s.totalFaults} (${parts.join(', ') || 'none'}) refusedOffline=${s.refusedOffline}`;
}
