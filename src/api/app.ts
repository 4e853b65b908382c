import path from 'node:path';
import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { ImageWorkflows } from '../clients/imageWorkflows';
import type { Config } from '../config';
import type { Logger } from '../logging/logger';
import { createServices } from '../services/createServices';
import { createStorage } from '../storage/createStorage';
import type { ApiClients } from './apiClients';
import { ApiMetrics } from './apiMetrics';
import { authenticate } from './auth/authenticate';
import { healthRoutes } from './healthRoutes';
import { methodNotAllowed } from './methodNotAllowed';
import { mountOperations } from './contract/mountOperations';
import { openApiDocument } from './contract/openApiDocument';
import { apiOperations } from './contract/operations';
import { notFoundHandler, problemErrorHandler } from './problem';
import { dependencyChecks } from './readiness';
import { rateLimitPerUser, rateLimitSignIn } from './rateLimit';
import { requestLogging } from './requestLogging';
import { authRoutes } from './routes/authRoutes';
import { clusterRoutes } from './routes/clusterRoutes';
import { imageCheckRoutes } from './routes/imageCheckRoutes';
import { imageContentRoutes } from './routes/imageContentRoutes';
import { imageDeleteRoutes } from './routes/imageDeleteRoutes';
import { webhookRoutes } from './routes/webhookRoutes';
import { imageEventRoutes } from './routes/imageEventRoutes';
import { imageDirectUploadRoutes } from './routes/imageDirectUploadRoutes';
import { imageReadRoutes } from './routes/imageReadRoutes';
import { imageSearchRoutes } from './routes/imageSearchRoutes';
import { imageUploadRoutes } from './routes/imageUploadRoutes';

const GALLERY_DIR = path.join(__dirname, '..', '..', 'public');
/** The gallery's typed client: openapi-fetch, one ES module of its package (see scripts/buildLambda.ts for Lambda). */
const OPENAPI_FETCH_MODULE = require.resolve('openapi-fetch/dist/index.mjs');

/** Where presigned image URLs point: the public (or service) S3 endpoint, or AWS's own hosts. */
function storageOrigins(config: Config): string[] {
  const endpoint = config.urls.s3PublicEndpoint ?? config.s3.endpoint;
  if (endpoint) return [new URL(endpoint).origin];
  return [
    `https://${config.s3.bucket}.s3.${config.aws.region}.amazonaws.com`,
    `https://s3.${config.aws.region}.amazonaws.com`,
  ];
}

export interface AppDependencies {
  config: Config;
  logger: Logger;
  clients: ApiClients;
  now?: () => Date;
  /** Where the gallery's files are: the repository's public/ unless a bundle keeps them elsewhere. */
  galleryDir?: string;
}

export function createApp({
  config,
  logger,
  clients,
  now = () => new Date(),
  galleryDir = GALLERY_DIR,
}: AppDependencies): Express {
  const storage = createStorage(clients, config);
  const metrics = new ApiMetrics();
  clients.onRequest(metrics.storeRequest);
  const workflows = new ImageWorkflows(
    clients.temporal,
    config.temporal.taskQueue,
    config.temporal.uiUrl,
    metrics.workflowObserver,
  );
  const requireUser = authenticate(clients.firebaseAuth, { checkRevoked: config.firebase.checkRevoked });
  const { intake, deletion, queries, search, reclustering, webhooks, imageEvents } = createServices({
    storage,
    workflows,
    config,
    metrics,
    now,
  });
  const operations = apiOperations(config);
  const app = express();
  app.disable('x-powered-by');
  // Whose X-Forwarded-For names the client (req.ip, which the sign-in limit counts by). In AWS Lambda the adapter
  // sets req.ip itself, to the address API Gateway saw: this setting does not apply there.
  app.set('trust proxy', config.api.trustProxy);
  app.use(requestLogging(logger));
  app.use(metrics.httpTimer());
  // TLS is terminated in front of the API, if anywhere: asking browsers to upgrade would break plain-HTTP local use.
  // Images are shown from presigned S3 URLs: the gallery may load them from the storage origin, and send files there.
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          upgradeInsecureRequests: null,
          imgSrc: ["'self'", 'data:', ...storageOrigins(config)],
          // A file too large for the deployment's requests goes straight to storage, to a presigned URL.
          connectSrc: ["'self'", ...storageOrigins(config)],
        },
      },
    }),
  );
  app.use(
    cors({
      origin: config.api.corsOrigins,
      exposedHeaders: ['X-Request-Id', 'Location', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining'],
    }),
  );
  // A check of 1,000 files is about 100 kB of JSON: that route alone takes more.
  app.use(operations.checkFiles.path, express.json({ limit: '256kb' }));
  app.use(express.json({ limit: '100kb' }));
  const openApi = openApiDocument(config);
  app.use(methodNotAllowed(openApi));
  app.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openApi));
  if (config.api.metrics) {
    app.get('/metrics', async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }
  const readinessChecks = dependencyChecks({ storage, workflows, firebaseAuth: clients.firebaseAuth, config });
  const signInLimits = {
    token: rateLimitSignIn(storage.rateLimits, config.signInRateLimit, { name: 'sign-in', accountField: 'username' }),
    signup: rateLimitSignIn(storage.rateLimits, config.signInRateLimit, { name: 'sign-up', accountField: 'email' }),
  };
  // Every image and webhook route is limited per user, once the user is known.
  const userGuards = [requireUser, rateLimitPerUser(storage.rateLimits, config.rateLimit)];
  mountOperations(
    app,
    operations,
    {
      ...healthRoutes(readinessChecks, config.readinessTimeoutMs),
      ...authRoutes(config, signInLimits),
      ...imageUploadRoutes({ config, intake }),
      ...imageDirectUploadRoutes({ config, intake }),
      ...imageCheckRoutes({ config, intake }),
      ...clusterRoutes({ config, queries, reclustering }),
      ...imageSearchRoutes({ config, search }),
      ...imageReadRoutes({ config, queries }),
      ...imageContentRoutes({ queries }),
      ...imageDeleteRoutes({ deletion }),
      ...webhookRoutes({ config, webhooks }),
      ...imageEventRoutes({ config, events: imageEvents }),
    },
    (operation) =>
      !operation.secured ? [] : /^\/api\/v1\/(images|webhooks)/.test(operation.path) ? userGuards : [requireUser],
  );
  // The gallery: a static page that uses the API like any client, through the typed client of its contract.
  app.get('/openapi-fetch.mjs', (_req, res) => {
    res.type('text/javascript').sendFile(OPENAPI_FETCH_MODULE, { maxAge: '5m' });
  });
  app.use(express.static(galleryDir, { index: 'index.html', maxAge: '5m' }));
  app.use(notFoundHandler);
  app.use(problemErrorHandler);
  return app;
}
