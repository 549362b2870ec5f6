import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { WorkstationError, type ApiEnvelope } from '../../shared/api/contract';
import { KEY_HEADER, KEY_PARAM, type HostEvent } from '../../shared/api/wire';
import { createDispatcher } from '../api/dispatch';
import { httpStatusOf } from '../services/errors';
import type { Workstation } from '../services/workstation';
import { createGuard } from './guard';
import { resolveStatic, sendFile } from './static';

export interface WebHostOptions {
  workstation: Workstation;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  host?: '127.0.0.1';
  /** Fixed key (tests); random per launch otherwise. */
  key?: string;
}

export interface WebHost {
  /** Open this: it carries the key in the fragment (never sent over the wire by browsers). */
  url: string;
  origin: string;
  key: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;

function sendJson(res: ServerResponse, status: number, body: ApiEnvelope<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}
function fail(res: ServerResponse, e: WorkstationError): void {
  sendJson(res, httpStatusOf(e.code), { ok: false, error: e.toFailure() });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new WorkstationError('host.bad_request', 'body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Serves the workstation to a plain browser on loopback: the built renderer, POST /api/<method>
 * answering ApiEnvelope, and a WebSocket /events pushing syncState and dataChanged. The same
 * dispatcher (src/main/api/dispatch.ts) as Electron's IPC.
 */
export async function startWebHost(o: WebHostOptions): Promise<WebHost> {
  const key = o.key ?? randomBytes(24).toString('base64url');
  const host = o.host ?? '127.0.0.1';
  let port = o.port ?? 0;
  const guard = createGuard(() => port, key);
  const ws = o.workstation;
  const dispatch = createDispatcher(ws.handlers);

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return fail(res, new WorkstationError('host.bad_request', 'use POST'));
    if (!guard.originOk(req)) return fail(res, new WorkstationError('host.forbidden', 'foreign origin'));
    const presented = req.headers[KEY_HEADER];
    if (!guard.keyOk(Array.isArray(presented) ? presented[0] : presented))
      return fail(res, new WorkstationError('host.forbidden', 'missing or wrong key'));
    let body: unknown;
    try {
      const text = await readBody(req);
      body = text ? JSON.parse(text) : {};
    } catch (e) {
      return fail(res, e instanceof WorkstationError ? e : new WorkstationError('host.bad_request', 'body is not JSON'));
    }
    const rawInput = body && typeof body === 'object' ? (body as { input?: unknown }).input : undefined;
    const env = await dispatch(method, rawInput);
    sendJson(res, env.ok ? 200 : httpStatusOf(env.error.code), env);
  }

  const server = createServer((req, res) => {
    if (!guard.hostOk(req)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('misdirected request');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/api/')) {
      void handleApi(req, res, url.pathname.slice('/api/'.length)).catch((e) => fail(res, new WorkstationError('internal', String(e))));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const file = resolveStatic(o.rendererDir, url.pathname);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    sendFile(res, file);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/events' || !guard.hostOk(req) || !guard.originOk(req) || !guard.keyOk(url.searchParams.get(KEY_PARAM))) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (client) => {
      sockets.add(client);
      const send = (ev: HostEvent) => {
        if (client.readyState === client.OPEN) client.send(JSON.stringify(ev));
      };
      const offSync = ws.events.onSyncState((state) => send({ type: 'syncState', state }));
      const offData = ws.events.onDataChanged((event) => send({ type: 'dataChanged', event }));
      client.on('close', () => {
        offSync();
        offData();
        sockets.delete(client);
      });
      void ws.handlers.getSyncState(undefined).then(
        (state) => send({ type: 'syncState', state }),
        () => {},
      );
    });
  });

  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(port, host, () => {
      server.off('error', ko);
      ok();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${host}:${port}`;
  return {
    url: `${origin}/#${KEY_PARAM}=${key}`,
    origin,
    key,
    port,
    async close() {
      for (const s of sockets) s.terminate();
      wss.close();
      server.closeAllConnections?.();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
