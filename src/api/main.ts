import { config as loadDotenv } from 'dotenv';
import { createDynamoDbClient } from '../clients/dynamodb';
import { createS3Client } from '../clients/s3';
import { createTemporalClient } from '../clients/temporal';
import { loadConfigOrExit } from '../config';
import { createLogger } from '../logging/logger';
import { provisionResources } from '../provisioning/provision';
import { createApp } from './app';
import { dependencyChecks } from './readiness';

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = loadConfigOrExit();
  const logger = createLogger('api', config.logLevel);
  const s3 = createS3Client(config);
  const dynamodb = createDynamoDbClient(config);
  if (config.provisionResources) logger.info(await provisionResources({ s3, dynamodb }, config), 'resources provisioned');
  const temporal = createTemporalClient(config);

  const app = createApp({ logger, readinessChecks: dependencyChecks({ s3, dynamodb, temporal }, config), readinessTimeoutMs: config.readinessTimeoutMs });
  const server = app.listen(config.api.port, config.api.host, () => {
    logger.info({ url: `http://${config.api.host}:${config.api.port}` }, 'api listening');
  });

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    server.close(async () => {
      await temporal.connection.close();
      s3.destroy();
      dynamodb.destroy();
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
