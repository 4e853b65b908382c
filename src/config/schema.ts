import { isIP } from 'node:net';
import { z } from 'zod';
import { AI_STEP_TIMEOUT_SECONDS } from '../contracts/pipeline';

/**
 * Every environment variable the service reads, with its default, in one place.
 * `.env.example` documents each of them; `test/config/config.unit.test.ts` keeps the two in step.
 * Any of them can also be given as a Secrets Manager reference, NAME_SECRET_ARN (see `secretReferences.ts`).
 */

const bool = (defaultValue: boolean) => z.stringbool().default(defaultValue);
const port = (defaultValue: number) => z.coerce.number().int().min(1).max(65535).default(defaultValue);
const tableName = (defaultValue: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a valid DynamoDB table name')
    .default(defaultValue);
const optionalUrl = z.url().optional();
const optionalString = z.string().min(1).optional();

// The names Express's `trust proxy` takes for whole address ranges (besides addresses and CIDR blocks).
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const isProxyAddressOrRange = (entry: string) => {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address = '', prefix, ...more] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || more.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
};
/**
 * Whose X-Forwarded-For the API believes, as Express's `trust proxy` takes it: a number of hops (the nearest that
 * many proxies), or a comma list of addresses, CIDR blocks and range names.
 */
const trustProxy = z
  .string()
  .transform((value): number | string[] =>
    /^\s*\d+\s*$/.test(value) ? Number(value) : value.split(',').map((entry) => entry.trim()),
  )
  .refine(
    (value) => (typeof value === 'number' ? value <= 10 : value.every(isProxyAddressOrRange)),
    'must be a hop count (0-10), or a comma list of IP addresses, CIDR blocks, loopback, linklocal and uniquelocal',
  )
  .default(['loopback']);

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port(8080),
  API_TRUST_PROXY: trustProxy,

  AWS_REGION: z.string().min(1).default('us-east-1'),
  AWS_ACCESS_KEY_ID: optionalString,
  AWS_SECRET_ACCESS_KEY: optionalString,
  AWS_SESSION_TOKEN: optionalString,
  // Where NAME_SECRET_ARN references are read (src/config/secretReferences.ts); unset: AWS's own endpoint.
  SECRETS_MANAGER_ENDPOINT: optionalUrl,

  S3_ENDPOINT: optionalUrl,
  S3_FORCE_PATH_STYLE: bool(false),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name')
    .default('imagepipe-images'),

  DYNAMODB_ENDPOINT: optionalUrl,
  DYNAMODB_TABLE_IMAGES: tableName('imagepipe-images'),
  DYNAMODB_TABLE_EMBEDDINGS: tableName('imagepipe-embeddings'),
  DYNAMODB_TABLE_CLUSTERS: tableName('imagepipe-clusters'),
  DYNAMODB_TABLE_SEARCH_TERMS: tableName('imagepipe-search-terms'),
  DYNAMODB_TABLE_CHECKSUMS: tableName('imagepipe-checksums'),
  DYNAMODB_TABLE_RATE_LIMITS: tableName('imagepipe-rate-limits'),
  DYNAMODB_TABLE_WEBHOOKS: tableName('imagepipe-webhooks'),

  PROVISION_RESOURCES: bool(false),

  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'must be host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('imagepipe'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('imagepipe'),
  TEMPORAL_TLS: bool(false),
  TEMPORAL_API_KEY: optionalString,
  // mTLS: the client certificate and its private key, PEM (usually TEMPORAL_TLS_CERT_SECRET_ARN and _KEY_SECRET_ARN).
  TEMPORAL_TLS_CERT: optionalString,
  TEMPORAL_TLS_KEY: optionalString,
  // The CA that signed the frontend's certificate, PEM, when it is a private one (a self-hosted Temporal); unset: the
  // system's trusted CAs (Temporal Cloud).
  TEMPORAL_TLS_CA: optionalString,
  TEMPORAL_UI_URL: optionalUrl,

  FIREBASE_PROJECT_ID: z.string().min(1),
  FIREBASE_AUTH_EMULATOR_HOST: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'must be host:port')
    .optional(),
  FIREBASE_API_KEY: optionalString,
  FIREBASE_CHECK_REVOKED: bool(true),
  // A service account key file's JSON, or (Google's own variable) the path of that file: the credential
  // firebase-admin looks users up with to check revocations. Parsed and checked in serviceAccountKey.ts.
  FIREBASE_SERVICE_ACCOUNT: optionalString,
  GOOGLE_APPLICATION_CREDENTIALS: optionalString,

  AI_PROVIDER: z.enum(['local', 'mobilenet', 'vision', 'openai']).default('local'),
  // Where scripts/install-models.sh put the offline providers' converted networks (the vision provider's).
  AI_MODELS_DIR: z.string().min(1).default('.local/models'),
  AI_IMAGE_TRANSPORT: z.enum(['data_url', 'presigned_url']).default('data_url'),
  // A provider call must end within its step's own timeout, with time to spare for reading the thumbnail.
  AI_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(AI_STEP_TIMEOUT_SECONDS * 1000 - 5_000, `must leave the ${AI_STEP_TIMEOUT_SECONDS} s AI steps 5 s to spare`)
    .default(30_000),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_VISION_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
  OPENAI_EMBEDDING_DIMENSIONS: z.coerce.number().int().min(1).max(8192).optional(),
  AZURE_OPENAI_ENDPOINT: optionalUrl,
  AZURE_OPENAI_API_KEY: optionalString,
  AZURE_OPENAI_API_VERSION: z.string().min(1).default('2024-10-21'),
  AZURE_OPENAI_VISION_DEPLOYMENT: optionalString,
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: optionalString,

  NEAR_DUPLICATE_MIN_SIMILARITY: z.coerce.number().min(0).max(1).optional(),
  SIMILARITY_CACHE_MB: z.coerce.number().int().min(0).max(65_536).default(512),
  CLUSTER_ASSIGN_MARGIN: z.coerce.number().min(0).max(1).default(0.05),
  RECLUSTER_CRON: z
    .string()
    .regex(/^\S+(\s+\S+){4}$/, 'must be a five-field cron expression, e.g. "0 3 * * *"')
    .default('0 3 * * *'),
  RECLUSTER_SCHEDULE_ID: z.string().min(1).default('imagepipe-recluster'),
  RECLUSTER_MAX_K: z.coerce.number().int().min(2).max(200).default(20),
  RECLUSTER_SEED: z.coerce.number().int().min(0).default(42),
  RECLUSTER_COOLDOWN_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),

  STORAGE_SWEEP_CRON: z
    .string()
    .regex(/^\S+(\s+\S+){4}$/, 'must be a five-field cron expression, e.g. "23 * * * *"')
    .default('23 * * * *'),
  STORAGE_SWEEP_SCHEDULE_ID: z.string().min(1).default('imagepipe-storage-sweep'),
  STORAGE_SWEEP_AFTER_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(6),
  STORAGE_SWEEP_STRANDED_AFTER_MINUTES: z.coerce
    .number()
    .int()
    .min(10)
    .max(24 * 60)
    .default(30),

  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(1000).default(8),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1000).default(40),
  WORKER_METRICS_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'must be host:port')
    .optional(),
  WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  WORKER_BACKLOG_METRICS: z.enum(['off', 'cloudwatch']).default('off'),
  WORKER_BACKLOG_METRICS_NAMESPACE: z.string().min(1).max(255).default('imagepipe'),
  WORKER_BACKLOG_METRICS_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  CLOUDWATCH_ENDPOINT: optionalUrl,

  THUMBNAIL_SIZES: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be a comma list of pixel sizes, e.g. 256,512,1024')
    .transform((value) => [...new Set(value.split(',').map(Number))].sort((a, b) => a - b))
    .refine((sizes) => sizes.every((size) => size >= 16 && size <= 4096), 'each size must be 16..4096')
    .default([256, 512, 1024]),
  THUMBNAIL_FORMAT: z.enum(['webp', 'jpeg']).default('webp'),
  THUMBNAIL_QUALITY: z.coerce.number().int().min(1).max(100).default(80),
  IMAGE_MAX_PIXELS: z.coerce.number().int().min(2_500).default(16_000_000),
  IMAGE_MIN_DIMENSION: z.coerce.number().int().min(1).default(50),
  IMAGE_MAX_DIMENSION: z.coerce.number().int().min(1).max(65_535).default(4_000),
  UPLOAD_MIN_BYTES: z.coerce.number().int().min(1).default(1_024),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(10 * 1024 * 1024),
  UPLOAD_MAX_FILES: z.coerce.number().int().min(1).max(100).default(10),
  // Unset: no limit on the whole multipart request beyond each file's (in AWS Lambda: what its payload carries).
  UPLOAD_MAX_REQUEST_BYTES: z.coerce.number().int().min(1).optional(),
  DUPLICATES: z.enum(['link', 'allow']).default('link'),

  IMAGE_URL_MODE: z.enum(['presigned', 'proxy']).default('presigned'),
  PRESIGNED_URL_EXPIRY_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(900),
  S3_PUBLIC_ENDPOINT: optionalUrl,
  API_PUBLIC_URL: optionalUrl,
  CORS_ORIGINS: z.string().default('*'),
  // Unset: on, except in AWS Lambda (see loadConfig).
  API_METRICS: z.stringbool().optional(),
  // The longest a status request with ?wait= is held: under the Lambda function's 29 s and the proxies' idle timeouts.
  // Hosts webhooks may reach over plain http and at private addresses (local development, tests): a comma list.
  WEBHOOK_INSECURE_HOSTS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    ),
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(30).default(10),
  WEBHOOK_MAX_ENDPOINTS: z.coerce.number().int().min(1).max(100).default(5),
  WEBHOOK_FIRST_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  WEBHOOK_SECRETS_KEY: z
    .string()
    .min(32, 'must be at least 32 characters (a random string: the key that seals webhook secrets is derived from it)')
    .optional(),
  STATUS_WAIT_MAX_SECONDS: z.coerce.number().int().min(0).max(60).default(25),
  IMAGE_EVENTS_RESCAN_SECONDS: z.coerce.number().int().min(1).max(60).default(10),
  IMAGE_EVENTS_MAX_SECONDS: z.coerce.number().int().min(0).max(300).optional(),

  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(100_000).default(120),
  SIGN_IN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(100_000).default(6),
  SIGN_IN_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(10_000).default(6),

  DELETE_RETENTION_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(365 * 24 * 3600)
    .default(30 * 24 * 3600),

  READINESS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
});

export type RawConfig = z.infer<typeof configSchema>;
