import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from '../logging/logger';
import { healthRoutes } from './healthRoutes';
import { notFoundHandler, problemErrorHandler } from './problem';
import type { DependencyCheck } from './readiness';
import { requestLogging } from './requestLogging';

export interface AppDependencies {
  logger: Logger;
  readinessChecks: DependencyCheck[];
  readinessTimeoutMs: number;
}

export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestLogging(deps.logger));
  app.use(helmet());
  app.use(cors());
  app.use(express.json({ limit: '100kb' }));
  app.use(healthRoutes(deps.readinessChecks, deps.readinessTimeoutMs));
  app.use(notFoundHandler);
  app.use(problemErrorHandler);
  return app;
}
