import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SEARCH_ATTRIBUTES } from '../../src/contracts';
import { isPortFree, unusedPortOutsideEphemeralRange } from './ports';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Ports the Temporal server's own services listen on (gRPC and membership each), on loopback. */
// A type, not an interface: Object.values() sees its values as numbers.
export type TemporalInternalPorts = {
  history: number;
  matching: number;
  worker: number;
  frontendMembership: number;
  historyMembership: number;
  matchingMembership: number;
  workerMembership: number;
};

export interface StackPorts {
  temporalPort: number;
  temporalUiPort: number;
  temporalHttpPort: number;
  temporalMetricsPort: number;
  temporalInternal: TemporalInternalPorts;
  s3Port: number;
  dynamodbPort: number;
  firebaseAuthPort: number;
  firebaseHubPort: number;
  firebaseLoggingPort: number;
  secretsManagerPort: number;
}

/** Ports a newcomer's stack uses unless STACK_* variables say otherwise (the usual ones of each tool). */
const DEFAULT_PORTS: StackPorts = {
  temporalPort: 7233,
  temporalUiPort: 8233,
  temporalHttpPort: 7243,
  temporalMetricsPort: 7244,
  s3Port: 7070,
  dynamodbPort: 8000,
  firebaseAuthPort: 9099,
  firebaseHubPort: 4400,
  firebaseLoggingPort: 4500,
  secretsManagerPort: 7090,
  // The Temporal server's usual ones.
  temporalInternal: {
    history: 7234,
    matching: 7235,
    worker: 7239,
    frontendMembership: 6933,
    historyMembership: 6934,
    matchingMembership: 6935,
    workerMembership: 6939,
  },
};

type PublicPort = Exclude<keyof StackPorts, 'temporalInternal'>;

const PORT_VARIABLES: Record<PublicPort, string> = {
  temporalPort: 'STACK_TEMPORAL_PORT',
  temporalUiPort: 'STACK_TEMPORAL_UI_PORT',
  temporalHttpPort: 'STACK_TEMPORAL_HTTP_PORT',
  temporalMetricsPort: 'STACK_TEMPORAL_METRICS_PORT',
  s3Port: 'STACK_S3_PORT',
  dynamodbPort: 'STACK_DYNAMODB_PORT',
  firebaseAuthPort: 'STACK_FIREBASE_AUTH_PORT',
  firebaseHubPort: 'STACK_FIREBASE_HUB_PORT',
  firebaseLoggingPort: 'STACK_FIREBASE_LOGGING_PORT',
  secretsManagerPort: 'STACK_SECRETS_MANAGER_PORT',
};

export interface StackSettings {
  dir: string;
  toolsDir: string;
  /** The project's Python virtual environment (moto), made by scripts/install-tools.sh. */
  venvDir: string;
  /**
   * Whether the stack's Secrets Manager (moto) checks each request against IAM policies, as AWS does: the tests'
   * stack, which reads secrets as an allowed and a denied user. A newcomer's stack lets every request through, so
   * the service's own keys read the secrets it is given.
   */
  secretsIam: boolean;
  host: string;
  region: string;
  ports: StackPorts;
  temporalNamespace: string;
  searchAttributes: typeof SEARCH_ATTRIBUTES;
  firebaseProjectId: string;
  bucket: string;
  imagesTable: string;
  s3AccessKey: string;
  s3SecretKey: string;
}

/** The gateway's keys: taken from the environment, or generated once and kept in the stack folder (never in git). */
function s3Credentials(dir: string, env: NodeJS.ProcessEnv): { accessKey: string; secretKey: string } {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY)
    return { accessKey: env.AWS_ACCESS_KEY_ID, secretKey: env.AWS_SECRET_ACCESS_KEY };
  const file = path.join(dir, 's3-credentials.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as { accessKey: string; secretKey: string };
  const generated = {
    accessKey: `imagepipe${crypto.randomBytes(6).toString('hex')}`,
    secretKey: crypto.randomBytes(24).toString('base64url'),
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(generated), { mode: 0o600 });
  return generated;
}

function parsePort(variable: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`${variable}: "${value}" is not a port number`);
  return port;
}

/** The ports a stack in `dir` was last started on, so `status` and `down` find it even when they were picked at random. */
export const stackPortsFile = (dir: string) => path.join(dir, 'ports.json');

function lastUsedPorts(dir: string): StackPorts | undefined {
  const file = stackPortsFile(dir);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as StackPorts) : undefined;
}

/**
 * The ports a stack in `dir` was last started on; for a component added since (not in that record), and for a new
 * stack, the STACK_*_PORT variable, a free port (`pickFreePorts`) or the default.
 */
async function resolvePorts(
  dir: string,
  env: NodeJS.ProcessEnv,
  pickFreePorts: boolean,
  host: string,
): Promise<StackPorts> {
  const lastUsed: Partial<StackPorts> = lastUsedPorts(dir) ?? {};
  const ports: StackPorts = {
    ...DEFAULT_PORTS,
    ...lastUsed,
    temporalInternal: { ...(lastUsed.temporalInternal ?? DEFAULT_PORTS.temporalInternal) },
  };
  const publicPorts = Object.keys(PORT_VARIABLES) as PublicPort[];
  const taken = new Set<number>([
    ...publicPorts.flatMap((key) => lastUsed[key] ?? []),
    ...Object.values(lastUsed.temporalInternal ?? {}),
  ]);
  for (const key of publicPorts.filter((port) => lastUsed[port] === undefined)) {
    const value = env[PORT_VARIABLES[key]];
    if (value) ports[key] = parsePort(PORT_VARIABLES[key], value);
    else if (pickFreePorts) ports[key] = await unusedPortOutsideEphemeralRange(host, taken);
    taken.add(ports[key]);
  }
  if (pickFreePorts && !lastUsed.temporalInternal) {
    for (const key of Object.keys(ports.temporalInternal) as Array<keyof TemporalInternalPorts>) {
      ports.temporalInternal[key] = await unusedPortOutsideEphemeralRange(host, taken);
      taken.add(ports.temporalInternal[key]);
    }
  }
  return ports;
}

/** Fails before anything starts if a port is taken, naming the variable that moves it. */
export async function assertPortsFree(settings: StackSettings): Promise<void> {
  const taken: string[] = [];
  for (const key of Object.keys(PORT_VARIABLES) as PublicPort[]) {
    if (!(await isPortFree(settings.ports[key], settings.host)))
      taken.push(`${settings.ports[key]} (set ${PORT_VARIABLES[key]} to move it)`);
  }
  for (const port of Object.values(settings.ports.temporalInternal)) {
    if (!(await isPortFree(port, settings.host)))
      taken.push(`${port} (one of Temporal's internal ports; STACK_PORTS=auto picks free ones)`);
  }
  if (taken.length > 0)
    throw new Error(
      `Ports already in use: ${taken.join(', ')}. Is a stack already running? Try: npm run stack -- status`,
    );
}

export async function resolveSettings(
  options: { dir?: string; pickFreePorts?: boolean; env?: NodeJS.ProcessEnv; secretsIam?: boolean } = {},
): Promise<StackSettings> {
  const env = options.env ?? process.env;
  const dir = path.resolve(options.dir ?? env.STACK_DIR ?? path.join(PROJECT_ROOT, '.local', 'stack'));
  const host = '127.0.0.1';
  const { accessKey, secretKey } = s3Credentials(dir, env);
  return {
    dir,
    toolsDir: path.resolve(env.STACK_TOOLS_DIR ?? path.join(PROJECT_ROOT, '.local', 'bin')),
    venvDir: path.join(PROJECT_ROOT, '.local', 'venv'),
    secretsIam: options.secretsIam ?? false,
    host,
    region: env.AWS_REGION ?? 'us-east-1',
    ports: await resolvePorts(dir, env, options.pickFreePorts ?? env.STACK_PORTS === 'auto', host),
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'imagepipe',
    searchAttributes: SEARCH_ATTRIBUTES,
    firebaseProjectId: env.FIREBASE_PROJECT_ID ?? 'demo-imagepipe',
    bucket: env.S3_BUCKET ?? 'imagepipe-images',
    imagesTable: env.DYNAMODB_TABLE_IMAGES ?? 'imagepipe-images',
    s3AccessKey: accessKey,
    s3SecretKey: secretKey,
  };
}
