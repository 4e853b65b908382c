import type { Express } from 'express';
import type { AddressInfo } from 'node:net';

export interface RunningApi {
  url: string;
  close: () => Promise<void>;
}

/** Serves an app on a free loopback port, as the real API would be reached. */
export function listen(app: Express): Promise<RunningApi> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
