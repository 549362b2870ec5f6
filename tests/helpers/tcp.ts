import { createServer, Socket, type AddressInfo, type Server } from 'node:net';

/** A TCP server on 127.0.0.1 that accepts connections and never answers (a hung database). */
export async function startBlackHole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await listen(server);
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/**
 * A TCP proxy to target that can be made to hold everything it receives (a database that stops
 * answering mid-run) and later let it through (so pending queries finish and pools can close).
 */
export async function startSwitchableProxy(targetPort: number, targetHost = '127.0.0.1') {
  let holding = false;
  const released: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const pipe = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (!holding) {
        to.write(chunk);
        return;
      }
      from.pause();
      released.push(() => {
        to.write(chunk);
        from.resume();
      });
    });
    from.on('end', () => to.end());
    from.on('error', () => to.destroy());
  };
  const server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client);
    sockets.add(upstream);
    upstream.connect(targetPort, targetHost);
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await listen(server);
  return {
    port: (server.address() as AddressInfo).port,
    blackHole() {
      holding = true;
    },
    release() {
      holding = false;
      for (const go of released.splice(0)) go();
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}
