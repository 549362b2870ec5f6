import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may drive the agent's session through the web host: only a page this host served
 * (same origin, through a Host name of ours, which defeats DNS rebinding) and only with the
 * per-launch key the host printed. Other local web pages know neither.
 */
export interface Guard {
  hostOk(req: IncomingMessage): boolean;
  originOk(req: IncomingMessage): boolean;
  keyOk(presented: string | null | undefined): boolean;
}

export function createGuard(port: () => number, key: string): Guard {
  const names = () => {
    const p = port();
    return [`127.0.0.1:${p}`, `localhost:${p}`, `[::1]:${p}`];
  };
  const keyBuf = Buffer.from(key);
  return {
    hostOk(req) {
      return names().includes((req.headers.host ?? '').toLowerCase());
    },
    originOk(req) {
      const origin = req.headers.origin;
      // non-browser clients send no Origin; they still need the key
      if (origin === undefined) return true;
      return names().some((n) => origin.toLowerCase() === `http://${n}`);
    },
    keyOk(presented) {
      if (!presented) return false;
      const b = Buffer.from(presented);
      return b.length === keyBuf.length && timingSafeEqual(b, keyBuf);
    },
  };
}
