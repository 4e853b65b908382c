import type { AddressInfo } from 'node:net';
import { createApiClients } from '../../src/api/apiClients';
import { createApp } from '../../src/api/app';
import type { Config } from '../../src/config';
import { createLogger, type Logger } from '../../src/logging/logger';
import { testConfig } from './stackEnv';

export interface RunningApi {
  url: string;
  config: Config;
  close: () => Promise<void>;
}

/** The real API app with real clients, on a free loopback port, as clients reach it; `logger` to read its log. */
export async function startApi(overrides: Record<string, string> = {}, logger?: Logger): Promise<RunningApi> {
  const config = testConfig(overrides);
  const clients = createApiClients(config);
  const app = createApp({ config, logger: logger ?? createLogger('api', config.logLevel), clients });
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    close: async () => {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      await clients.close();
    },
  };
}
