import net from 'node:net';

/** A TCP port on loopback that nothing listens on right now. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port assigned')),
      );
    });
  });
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

// Linux hands out ephemeral ports from 32768 up; the servers of the stack (the Temporal dev server above all) bind
// internal listeners there at random while starting, so a port picked from that range can be taken in between.
const PICK_FROM = 20_000;
const PICK_TO = 32_000;

/** A free loopback port below the ephemeral range, not in `exclude`. */
export async function unusedPortOutsideEphemeralRange(
  host = '127.0.0.1',
  exclude: Set<number> = new Set(),
): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PICK_FROM + Math.floor(Math.random() * (PICK_TO - PICK_FROM));
    if (!exclude.has(port) && (await isPortFree(port, host))) return port;
  }
  throw new Error(`no free port between ${PICK_FROM} and ${PICK_TO}`);
}

/** Whether something accepts TCP connections on host:port. */
export function acceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(2_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
