import net from 'node:net';

export interface TcpForwarder {
  url: string;
  /** Each connection's bytes from the client, as latin1 text: the requests' lines and headers as sent. */
  received: string[];
  close: () => Promise<void>;
}

/**
 * A TCP forwarder listening on `host` to a real server at `target` (an http URL): the bytes pass untouched, the Host
 * header too (so a URL presigned for the forwarder's address stays valid), and what the client sent is recorded.
 */
export async function startTcpForwarder(host: string, target: string): Promise<TcpForwarder> {
  const { hostname, port } = new URL(target);
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const index = received.push('') - 1;
    const upstream = net.connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => [client, upstream].forEach((either) => either.destroy()));
    }
    client.on('data', (chunk: Buffer) => (received[index] += chunk.toString('latin1')));
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${(server.address() as net.AddressInfo).port}`,
    received,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}
