import { config as loadDotenv } from 'dotenv';
import { loadConfigOrExit } from '../config';
import { createLogger } from '../logging/logger';
import { provisionResources } from '../provisioning/provision';
import { createApiClients } from './apiClients';
import { createApp } from './app';

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = loadConfigOrExit();
  const logger = createLogger('api', config.logLevel);
  const clients = createApiClients(config);
  if (config.provisionResources) logger.info(await provisionResources(clients, config), 'resources provisioned');

  const app = createApp({ config, logger, clients });
  const server = app.listen(config.api.port, config.api.host, () => {
    logger.info({ url: `http://${config.api.host}:${config.api.port}` }, 'api listening');
  });

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    server.close(async () => {
      await clients.close();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`api failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
