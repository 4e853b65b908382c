import path from 'node:path';
import { apiRequirementIssues } from './apiRequirements';
import { awsCredentialsOf, type AwsCredentials } from './awsCredentials';
import { ConfigError, describeIssues, presentVariables } from './configError';
import { configSchema, type RawConfig } from './schema';
import { resolveSecretReferences, type SecretResolutionOptions } from './secretReferences';
import { serviceAccountKeyOf, type ServiceAccountKey } from './serviceAccountKey';

export { ConfigError } from './configError';

/** A rate limit: sustained requests per minute (0 turns it off) and the burst allowed after a quiet spell. */
export interface RateLimitSetting {
  perMinute: number;
  burst: number;
}

export interface Config {
  env: RawConfig['NODE_ENV'];
  logLevel: RawConfig['LOG_LEVEL'];
  api: {
    host: string;
    port: number;
    /** Base of the absolute URLs the API hands out (status URLs); derived from each request when unset. */
    publicUrl?: string;
    /** `*` or a list of allowed origins. */
    corsOrigins: '*' | string[];
    /** Whether GET /metrics serves the Prometheus metrics. */
    metrics: boolean;
    /**
     * Whose X-Forwarded-For names the client (Express's `trust proxy`): the nearest this many proxies, or the peers
     * at these addresses, CIDR blocks and range names (`loopback`...). Not used in AWS Lambda, where the address is
     * the one API Gateway saw.
     */
    trustProxy: number | string[];
    /** The longest a `GET …/status?wait=` is held open (0: never; the status is answered at once). */
    statusWaitMaxSeconds: number;
    /**
     * How often an open image event stream looks for images uploaded since, and at direct uploads still to be
     * completed: one Query (and one BatchGetItem while there are such uploads) per stream each time.
     */
    imageEventsRescanSeconds: number;
    /**
     * The longest an image event stream is held open; 0: the stream is not offered (501). Not offered in AWS Lambda
     * by default: API Gateway buffers a response and ends it at 30 s, so a stream would tell nothing, and hold a
     * function for every open page.
     */
    imageEventsMaxSeconds: number;
  };
  urls: {
    mode: 'presigned' | 'proxy';
    expirySeconds: number;
    /** Endpoint clients reach S3 on, when it differs from the one the service uses (a container network). */
    s3PublicEndpoint?: string;
  };
  aws: {
    region: string;
    /** Explicit keys when both are set; otherwise the SDK's default provider chain (IAM role, profile...). */
    credentials?: AwsCredentials;
    /** Where the NAME_SECRET_ARN references were read (moto on the local stack); AWS's own endpoint when unset. */
    secretsManagerEndpoint?: string;
  };
  s3: { endpoint?: string; forcePathStyle: boolean; bucket: string };
  dynamodb: {
    endpoint?: string;
    imagesTable: string;
    embeddingsTable: string;
    clustersTable: string;
    /** Text search's inverted index: a posting per word of each image. */
    searchTermsTable: string;
    /** Each user's SHA-256 checksums, each held by the one image it belongs to (duplicate detection). */
    checksumsTable: string;
    /** The rate limits' buckets, shared by every API process (one item per limited user, address or account). */
    rateLimitsTable: string;
    /** Users' webhook endpoints and their delivery logs. */
    webhooksTable: string;
  };
  webhooks: {
    /** Hosts webhooks may reach over plain http and at private addresses (development, tests); none in production. */
    insecureHosts: string[];
    /** One delivery attempt's bound: DNS, connect, TLS and the receiver's answer. */
    timeoutMs: number;
    /** Endpoints one user may register. */
    maxEndpoints: number;
    /** The first retry of an event not delivered waits this long; each next one twice as long, up to an hour. */
    firstRetrySeconds: number;
    /** What signing secrets are sealed with in the table (src/storage/secretSealer.ts); unset: stored as they are. */
    secretsKey?: string;
  };
  ai: {
    provider: RawConfig['AI_PROVIDER'];
    /** Where the offline providers' converted networks are (an absolute path). */
    modelsDir: string;
    /** How a provider is shown a thumbnail: inline as a data URL, or as a presigned S3 URL it fetches itself. */
    imageTransport: 'data_url' | 'presigned_url';
    timeoutMs: number;
    /** Overrides the provider's own near-duplicate threshold (cosine similarity); unset: the provider's, if any. */
    nearDuplicateSimilarity?: number;
    openai: {
      apiKey?: string;
      /** Any OpenAI-compatible server; the SDK's default (api.openai.com) when unset. */
      baseUrl?: string;
      visionModel: string;
      embeddingModel: string;
      embeddingDimensions?: number;
    };
    /** Set when the endpoint is: Azure OpenAI, addressed by deployment names. */
    azure?: {
      endpoint: string;
      apiKey: string;
      apiVersion: string;
      visionDeployment: string;
      embeddingDeployment: string;
    };
  };
  clustering: {
    /** How much closer a new image must be to its best cluster than to the second best to join it. */
    assignMargin: number;
    /** When the scheduled re-clustering of every user with new images runs (cron, UTC). */
    cron: string;
    scheduleId: string;
    maxK: number;
    seed: number;
    /** How soon after a re-clustering of a user's library another may be asked for. */
    cooldownSeconds: number;
    /** Images the silhouette of each k is measured on (it is quadratic): a seeded sample of larger libraries. */
    silhouetteSample: number;
  };
  /** The schedule that aborts multipart uploads left incomplete. */
  storageSweep: { cron: string; scheduleId: string; olderThanHours: number; strandedAfterMinutes: number };
  similarity: {
    /** Float32 values of users' embeddings the API keeps for similar-image searches (SIMILARITY_CACHE_MB, 4 bytes each). */
    cacheValues: number;
  };
  provisionResources: boolean;
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    tls: boolean;
    apiKey?: string;
    /** mTLS: the client certificate and its key (PEM). */
    clientCertificate?: { cert: string; key: string };
    /** The private CA that signed the frontend's certificate (PEM); none: the system's. */
    serverCa?: string;
    uiUrl?: string;
  };
  firebase: {
    projectId: string;
    authEmulatorHost?: string;
    apiKey?: string;
    checkRevoked: boolean;
    /**
     * What firebase-admin calls Firebase's Admin API with (revocation checks look the user up): FIREBASE_SERVICE_ACCOUNT
     * or the file GOOGLE_APPLICATION_CREDENTIALS names. The emulator needs none.
     */
    serviceAccount?: ServiceAccountKey;
  };
  worker: {
    maxConcurrentActivities: number;
    maxConcurrentWorkflowTasks: number;
    shutdownGraceMs: number;
    /** host:port of the worker's Prometheus endpoint (Temporal SDK metrics); none when unset. */
    metricsAddress?: string;
    /** Where the worker publishes its task queue's backlog for scaling (CloudWatch); none when off. */
    backlogMetrics?: { namespace: string; intervalSeconds: number; endpoint?: string };
  };
  images: {
    thumbnailSizes: number[];
    thumbnailFormat: 'webp' | 'jpeg';
    thumbnailQuality: number;
    /** Decoded pixels an image may have; refuses decompression bombs before they are decoded. */
    maxPixels: number;
    minDimension: number;
    maxDimension: number;
  };
  uploads: {
    minBytes: number;
    maxBytes: number;
    maxFiles: number;
    /**
     * The largest multipart request the API reads; a larger one is answered 413 naming the direct-upload route.
     * Unset: none beyond each file's limit.
     */
    maxRequestBytes?: number;
    /** `link`: the same bytes uploaded again by their owner answer the image they already have; `allow`: a new one. */
    duplicates: 'link' | 'allow';
  };
  /** Per-user request limit of the image routes, shared by every API process. */
  rateLimit: RateLimitSetting;
  /** `POST /auth/token` and `POST /auth/signup`, per client address and per account name, shared likewise. */
  signInRateLimit: RateLimitSetting;
  /** How long a soft-deleted image stays restorable before it is purged. */
  deleteRetentionSeconds: number;
  readinessTimeoutMs: number;
}

/**
 * A synchronous Lambda invocation carries at most 6 MB (6,291,456 bytes) of event, and API Gateway and function URLs
 * put a multipart body in it base64-encoded (4 bytes for every 3), beside the headers: 4 MiB of body fits with room.
 */
export const LAMBDA_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** AWS Lambda sets this in every function's environment. */
const inLambda = (env: NodeJS.ProcessEnv) => Boolean(env.AWS_LAMBDA_FUNCTION_NAME);

/** Reads and validates the configuration from an environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(presentVariables(env));
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error));
  const raw = parsed.data;

  const issues: string[] = [];
  if (Boolean(raw.AWS_ACCESS_KEY_ID) !== Boolean(raw.AWS_SECRET_ACCESS_KEY)) {
    issues.push('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set both or neither');
  }
  // The emulator accepts unsigned tokens for any uid: it must never meet a real project, whatever NODE_ENV says.
  const demoProject = raw.FIREBASE_PROJECT_ID.startsWith('demo-');
  if (raw.FIREBASE_AUTH_EMULATOR_HOST && !demoProject) {
    issues.push(
      `FIREBASE_AUTH_EMULATOR_HOST: the Auth emulator accepts unsigned tokens: it is allowed only with a demo- project id, not ${raw.FIREBASE_PROJECT_ID}`,
    );
  } else if (raw.NODE_ENV === 'production' && raw.FIREBASE_AUTH_EMULATOR_HOST) {
    issues.push('FIREBASE_AUTH_EMULATOR_HOST: must not be set in production (it disables token signature checks)');
  }
  if (demoProject && !raw.FIREBASE_AUTH_EMULATOR_HOST) {
    issues.push(
      `FIREBASE_PROJECT_ID: ${raw.FIREBASE_PROJECT_ID} is a demo project, which only the Auth emulator knows: set FIREBASE_AUTH_EMULATOR_HOST, or a real project id`,
    );
  }
  const serviceAccount = serviceAccountKeyOf(raw);
  issues.push(...serviceAccount.issues);
  if (raw.IMAGE_MIN_DIMENSION > raw.IMAGE_MAX_DIMENSION)
    issues.push('IMAGE_MIN_DIMENSION: must not exceed IMAGE_MAX_DIMENSION');
  if (raw.UPLOAD_MIN_BYTES > raw.UPLOAD_MAX_BYTES) issues.push('UPLOAD_MIN_BYTES: must not exceed UPLOAD_MAX_BYTES');
  if (Boolean(raw.TEMPORAL_TLS_CERT) !== Boolean(raw.TEMPORAL_TLS_KEY)) {
    issues.push('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: set both (the client certificate and its key) or neither');
  }
  for (const name of ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA'] as const) {
    if (raw[name] && !raw[name].includes('-----BEGIN ')) issues.push(`${name}: must be PEM (-----BEGIN ...)`);
  }
  if (inLambda(env)) {
    if (raw.UPLOAD_MAX_REQUEST_BYTES !== undefined && raw.UPLOAD_MAX_REQUEST_BYTES > LAMBDA_MAX_REQUEST_BYTES) {
      issues.push(
        `UPLOAD_MAX_REQUEST_BYTES: AWS Lambda carries at most ${LAMBDA_MAX_REQUEST_BYTES} bytes of multipart body (6 MB base64-encoded)`,
      );
    }
    // Answers are limited to 6 MB as well: originals streamed through the function would fail past it.
    if (raw.IMAGE_URL_MODE === 'proxy') {
      issues.push(
        'IMAGE_URL_MODE: proxy sends images through the function, whose answers AWS Lambda limits to 6 MB: use presigned',
      );
    }
  }
  if (raw.AI_PROVIDER === 'openai') {
    if (raw.AZURE_OPENAI_ENDPOINT) {
      for (const name of [
        'AZURE_OPENAI_API_KEY',
        'AZURE_OPENAI_VISION_DEPLOYMENT',
        'AZURE_OPENAI_EMBEDDING_DEPLOYMENT',
      ] as const) {
        if (!raw[name]) issues.push(`${name}: is required with AZURE_OPENAI_ENDPOINT`);
      }
    } else if (!raw.OPENAI_API_KEY) {
      issues.push(
        'OPENAI_API_KEY: is required with AI_PROVIDER=openai (or set AZURE_OPENAI_ENDPOINT for Azure OpenAI)',
      );
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);

  return {
    env: raw.NODE_ENV,
    logLevel: raw.LOG_LEVEL,
    api: {
      host: raw.API_HOST,
      port: raw.API_PORT,
      publicUrl: raw.API_PUBLIC_URL?.replace(/\/+$/, ''),
      corsOrigins:
        raw.CORS_ORIGINS === '*'
          ? '*'
          : raw.CORS_ORIGINS.split(',')
              .map((origin) => origin.trim())
              .filter(Boolean),
      // A function's containers each count alone, behind a public URL: no scrape could use them.
      metrics: raw.API_METRICS ?? !inLambda(env),
      trustProxy: raw.API_TRUST_PROXY,
      statusWaitMaxSeconds: raw.STATUS_WAIT_MAX_SECONDS,
      imageEventsRescanSeconds: raw.IMAGE_EVENTS_RESCAN_SECONDS,
      imageEventsMaxSeconds: raw.IMAGE_EVENTS_MAX_SECONDS ?? (inLambda(env) ? 0 : 300),
    },
    urls: {
      mode: raw.IMAGE_URL_MODE,
      expirySeconds: raw.PRESIGNED_URL_EXPIRY_SECONDS,
      s3PublicEndpoint: raw.S3_PUBLIC_ENDPOINT,
    },
    aws: {
      region: raw.AWS_REGION,
      credentials: awsCredentialsOf(raw),
      secretsManagerEndpoint: raw.SECRETS_MANAGER_ENDPOINT,
    },
    s3: { endpoint: raw.S3_ENDPOINT, forcePathStyle: raw.S3_FORCE_PATH_STYLE, bucket: raw.S3_BUCKET },
    dynamodb: {
      endpoint: raw.DYNAMODB_ENDPOINT,
      imagesTable: raw.DYNAMODB_TABLE_IMAGES,
      embeddingsTable: raw.DYNAMODB_TABLE_EMBEDDINGS,
      clustersTable: raw.DYNAMODB_TABLE_CLUSTERS,
      searchTermsTable: raw.DYNAMODB_TABLE_SEARCH_TERMS,
      checksumsTable: raw.DYNAMODB_TABLE_CHECKSUMS,
      rateLimitsTable: raw.DYNAMODB_TABLE_RATE_LIMITS,
      webhooksTable: raw.DYNAMODB_TABLE_WEBHOOKS,
    },
    webhooks: {
      insecureHosts: raw.WEBHOOK_INSECURE_HOSTS,
      timeoutMs: raw.WEBHOOK_TIMEOUT_SECONDS * 1000,
      maxEndpoints: raw.WEBHOOK_MAX_ENDPOINTS,
      firstRetrySeconds: raw.WEBHOOK_FIRST_RETRY_SECONDS,
      secretsKey: raw.WEBHOOK_SECRETS_KEY,
    },
    ai: {
      provider: raw.AI_PROVIDER,
      modelsDir: path.resolve(raw.AI_MODELS_DIR),
      imageTransport: raw.AI_IMAGE_TRANSPORT,
      timeoutMs: raw.AI_TIMEOUT_MS,
      nearDuplicateSimilarity: raw.NEAR_DUPLICATE_MIN_SIMILARITY,
      openai: {
        apiKey: raw.OPENAI_API_KEY,
        baseUrl: raw.OPENAI_BASE_URL,
        visionModel: raw.OPENAI_VISION_MODEL,
        embeddingModel: raw.OPENAI_EMBEDDING_MODEL,
        embeddingDimensions: raw.OPENAI_EMBEDDING_DIMENSIONS,
      },
      azure:
        raw.AZURE_OPENAI_ENDPOINT &&
        raw.AZURE_OPENAI_API_KEY &&
        raw.AZURE_OPENAI_VISION_DEPLOYMENT &&
        raw.AZURE_OPENAI_EMBEDDING_DEPLOYMENT
          ? {
              endpoint: raw.AZURE_OPENAI_ENDPOINT,
              apiKey: raw.AZURE_OPENAI_API_KEY,
              apiVersion: raw.AZURE_OPENAI_API_VERSION,
              visionDeployment: raw.AZURE_OPENAI_VISION_DEPLOYMENT,
              embeddingDeployment: raw.AZURE_OPENAI_EMBEDDING_DEPLOYMENT,
            }
          : undefined,
    },
    clustering: {
      assignMargin: raw.CLUSTER_ASSIGN_MARGIN,
      cron: raw.RECLUSTER_CRON,
      scheduleId: raw.RECLUSTER_SCHEDULE_ID,
      maxK: raw.RECLUSTER_MAX_K,
      seed: raw.RECLUSTER_SEED,
      cooldownSeconds: raw.RECLUSTER_COOLDOWN_SECONDS,
      silhouetteSample: 1_000,
    },
    storageSweep: {
      cron: raw.STORAGE_SWEEP_CRON,
      scheduleId: raw.STORAGE_SWEEP_SCHEDULE_ID,
      olderThanHours: raw.STORAGE_SWEEP_AFTER_HOURS,
      strandedAfterMinutes: raw.STORAGE_SWEEP_STRANDED_AFTER_MINUTES,
    },
    similarity: { cacheValues: (raw.SIMILARITY_CACHE_MB * 1024 * 1024) / 4 },
    provisionResources: raw.PROVISION_RESOURCES,
    temporal: {
      address: raw.TEMPORAL_ADDRESS,
      namespace: raw.TEMPORAL_NAMESPACE,
      taskQueue: raw.TEMPORAL_TASK_QUEUE,
      tls: raw.TEMPORAL_TLS,
      apiKey: raw.TEMPORAL_API_KEY,
      clientCertificate:
        raw.TEMPORAL_TLS_CERT && raw.TEMPORAL_TLS_KEY
          ? { cert: raw.TEMPORAL_TLS_CERT, key: raw.TEMPORAL_TLS_KEY }
          : undefined,
      serverCa: raw.TEMPORAL_TLS_CA,
      uiUrl: raw.TEMPORAL_UI_URL,
    },
    firebase: {
      projectId: raw.FIREBASE_PROJECT_ID,
      authEmulatorHost: raw.FIREBASE_AUTH_EMULATOR_HOST,
      apiKey: raw.FIREBASE_API_KEY,
      checkRevoked: raw.FIREBASE_CHECK_REVOKED,
      serviceAccount: serviceAccount.key,
    },
    worker: {
      maxConcurrentActivities: raw.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTasks: raw.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      shutdownGraceMs: raw.WORKER_SHUTDOWN_GRACE_MS,
      metricsAddress: raw.WORKER_METRICS_ADDRESS,
      backlogMetrics:
        raw.WORKER_BACKLOG_METRICS === 'cloudwatch'
          ? {
              namespace: raw.WORKER_BACKLOG_METRICS_NAMESPACE,
              intervalSeconds: raw.WORKER_BACKLOG_METRICS_INTERVAL_SECONDS,
              endpoint: raw.CLOUDWATCH_ENDPOINT,
            }
          : undefined,
    },
    images: {
      thumbnailSizes: raw.THUMBNAIL_SIZES,
      thumbnailFormat: raw.THUMBNAIL_FORMAT,
      thumbnailQuality: raw.THUMBNAIL_QUALITY,
      maxPixels: raw.IMAGE_MAX_PIXELS,
      minDimension: raw.IMAGE_MIN_DIMENSION,
      maxDimension: raw.IMAGE_MAX_DIMENSION,
    },
    uploads: {
      minBytes: raw.UPLOAD_MIN_BYTES,
      maxBytes: raw.UPLOAD_MAX_BYTES,
      maxFiles: raw.UPLOAD_MAX_FILES,
      maxRequestBytes: raw.UPLOAD_MAX_REQUEST_BYTES ?? (inLambda(env) ? LAMBDA_MAX_REQUEST_BYTES : undefined),
      duplicates: raw.DUPLICATES,
    },
    rateLimit: { perMinute: raw.RATE_LIMIT_PER_MINUTE, burst: raw.RATE_LIMIT_BURST },
    signInRateLimit: { perMinute: raw.SIGN_IN_RATE_LIMIT_PER_MINUTE, burst: raw.SIGN_IN_RATE_LIMIT_BURST },
    deleteRetentionSeconds: raw.DELETE_RETENTION_SECONDS,
    readinessTimeoutMs: raw.READINESS_TIMEOUT_MS,
  };
}

/**
 * Reads the NAME_SECRET_ARN references of an environment from Secrets Manager (see `secretReferences.ts`), then
 * reads and validates the configuration as `loadConfig` does; throws ConfigError naming every bad variable.
 */
export async function loadConfigWithSecrets(
  env: NodeJS.ProcessEnv = process.env,
  options: SecretResolutionOptions = {},
): Promise<Config> {
  return loadConfig(await resolveSecretReferences(env, options));
}

/**
 * The API's configuration: `loadConfigWithSecrets`, then what the API alone needs of it (see `apiRequirements.ts`);
 * throws ConfigError naming every bad variable.
 */
export async function loadApiConfigWithSecrets(
  env: NodeJS.ProcessEnv = process.env,
  options: SecretResolutionOptions = {},
): Promise<Config> {
  const config = await loadConfigWithSecrets(env, options);
  const issues = apiRequirementIssues(config);
  if (issues.length > 0) throw new ConfigError(issues);
  return config;
}

/**
 * For entry points: the configuration `loading` reads, or stop the process with the message naming the bad
 * variables, exit code 78 (EX_CONFIG).
 */
export async function configOrExit(loading: Promise<Config>): Promise<Config> {
  try {
    return await loading;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
