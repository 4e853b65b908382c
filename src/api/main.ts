import { config as loadDotenv } from 'dotenv';
import { configOrExit, loadApiConfigWithSecrets, type Config } from '../config';
import { createLogger, type Logger } from '../logging/logger';
import { bucketLifecycleState } from '../provisioning/bucketLifecycle';
import { provisionResources } from '../provisioning/provision';
import { createApiClients, type ApiClients } from './apiClients';
import { createApp } from './app';

/**
 * Uploads dropped with their API process leave incomplete multipart uploads behind: the bucket should abort them.
 * Said once at start-up, without holding it up (the bucket may not be reachable yet).
 */
async function checkBucketLifecycle(clients: ApiClients, config: Config, logger: Logger): Promise<void> {
  try {
    const state = await bucketLifecycleState(clients.s3, config.s3.bucket);
    if (state === 'missing') {
      logger.warn(
        { bucket: config.s3.bucket },
        'the bucket has no rule aborting incomplete multipart uploads: run with PROVISION_RESOURCES=true once, or add it',
      );
    } else {
      logger.info({ bucket: config.s3.bucket, lifecycle: state }, 'bucket lifecycle checked');
    }
  } catch (error) {
    logger.warn({ err: error }, 'could not check the bucket lifecycle');
  }
}

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = await configOrExit(loadApiConfigWithSecrets());
  const logger = createLogger('api', config.logLevel);
  const clients = createApiClients(config);
  if (config.provisionResources) logger.info(await provisionResources(clients, config), 'resources provisioned');
  void checkBucketLifecycle(clients, config, logger);

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
