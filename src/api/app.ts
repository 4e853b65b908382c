import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Config } from '../config';
import { ImageProcessing } from '../images/imageProcessing';
import { ImageRepository } from '../images/imageRepository';
import { ImageUrls } from '../images/imageUrls';
import type { Logger } from '../logging/logger';
import type { ApiClients } from './apiClients';
import { authenticate } from './auth/authenticate';
import { healthRoutes } from './healthRoutes';
import { notFoundHandler, problemErrorHandler } from './problem';
import { dependencyChecks } from './readiness';
import { requestLogging } from './requestLogging';
import { authRoutes } from './routes/authRoutes';
import { imageReadRoutes } from './routes/imageReadRoutes';
import { imageUploadRoutes } from './routes/imageUploadRoutes';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  clients: ApiClients;
  now?: () => Date;
}

export function createApp({ config, logger, clients, now = () => new Date() }: AppDependencies): Express {
  const images = new ImageRepository(clients.documents, config.dynamodb.imagesTable);
  const processing = new ImageProcessing(clients.temporal, config.temporal.taskQueue);
  const urls = new ImageUrls(clients.presignS3, config, now);
  const requireUser = authenticate(clients.firebaseAuth, { checkRevoked: config.firebase.checkRevoked });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestLogging(logger));
  app.use(helmet());
  app.use(cors({ origin: config.api.corsOrigins, exposedHeaders: ['X-Request-Id', 'Location', 'Retry-After'] }));
  app.use(express.json({ limit: '100kb' }));
  app.use(healthRoutes(dependencyChecks(clients, config), config.readinessTimeoutMs));
  app.use('/api/v1', authRoutes(config, requireUser));
  app.use('/api/v1', imageUploadRoutes({ config, s3: clients.s3, images, processing, authenticate: requireUser, now }));
  app.use('/api/v1', imageReadRoutes({ config, images, urls, processing, authenticate: requireUser }));
  app.use(notFoundHandler);
  app.use(problemErrorHandler);
  return app;
}
