import fs from 'node:fs';
import path from 'node:path';
import { answersHttp, daemonFiles, dynamodbComponent, firebaseAuthComponent, s3Component } from './components';
import type { Component } from './components';
import { runningPid, stopDaemon } from './daemon';
import { haproxyComponent } from './haproxy';
import { acceptsConnections, unusedPortOutsideEphemeralRange } from './ports';
import { ensureTemporalSchema, postgresComponent, POSTGRES_USER } from './postgres';
import { PROJECT_ROOT, resolveSettings, stackPortsFile, type StackSettings } from './settings';
import { componentStatus, provisionStack, startComponent, writeEnvFile, type ComponentStatus } from './stack';
import {
  answersTemporal,
  TEMPORAL_DYNAMIC_CONFIG,
  temporalServerConfig,
  temporalUiComponent,
  type TemporalProcessShape,
  type TemporalServiceName,
  type TemporalServicePorts,
} from './temporal';

/**
 * The cluster topology of the local stack, shaped as production runs the service: Temporal as separate frontend,
 * history, matching and worker services on PostgreSQL, HAProxy in front of the frontends and of the APIs, several
 * API and worker processes, with S3, DynamoDB, the Auth emulator and the Web UI as in the single-process stack.
 */
export interface ClusterSize {
  frontends: number;
  histories: number;
  matchings: number;
  apis: number;
  workers: number;
}

/** What `npm run cluster -- up` starts. */
export const FULL_CLUSTER: ClusterSize = { frontends: 2, histories: 2, matchings: 2, apis: 2, workers: 3 };
/** The test suite's: one of each Temporal service, and still two of what the service runs. */
export const LEAN_CLUSTER: ClusterSize = { frontends: 1, histories: 1, matchings: 1, apis: 2, workers: 2 };

/**
 * History shards, fixed when the database is first set up. 16 lets history spread over a few hosts; production
 * sizing is in docs/capacity.md.
 */
export const HISTORY_SHARDS = 16;

interface ClusterPorts {
  postgres: number;
  apiBalancer: number;
  balancerStats: number;
  temporal: Record<TemporalServiceName, TemporalServicePorts[]>;
  apis: number[];
  workerMetrics: number[];
}

interface ClusterRecord {
  size: ClusterSize;
  ports: ClusterPorts;
}

export interface Cluster {
  settings: StackSettings;
  size: ClusterSize;
  ports: ClusterPorts;
  /** Every process, in the order they start; stopped in reverse. */
  components: Component[];
  /** The service's environment: Temporal and the API through the load balancer. */
  env: Record<string, string>;
}

const recordFile = (dir: string) => path.join(dir, 'cluster.json');
export const clusterEnvFile = (dir: string) => path.join(dir, 'cluster.env');

async function pickPorts(settings: StackSettings, size: ClusterSize): Promise<ClusterPorts> {
  const taken = new Set<number>([
    ...Object.values(settings.ports).filter((port): port is number => typeof port === 'number'),
  ]);
  const port = async () => {
    const picked = await unusedPortOutsideEphemeralRange(settings.host, taken);
    taken.add(picked);
    return picked;
  };
  const services = async (count: number, http = false) => {
    const list: TemporalServicePorts[] = [];
    for (let i = 0; i < count; i++)
      list.push({ grpcPort: await port(), membershipPort: await port(), ...(http && { httpPort: await port() }) });
    return list;
  };
  const several = async (count: number) => {
    const list: number[] = [];
    for (let i = 0; i < count; i++) list.push(await port());
    return list;
  };
  return {
    postgres: await port(),
    apiBalancer: await port(),
    balancerStats: await port(),
    temporal: {
      frontend: await services(size.frontends, true),
      history: await services(size.histories),
      matching: await services(size.matchings),
      worker: await services(1),
    },
    apis: await several(size.apis),
    workerMetrics: await several(size.workers),
  };
}

/**
 * The cluster in `dir` (default .local/cluster): the size and ports it was last started with, or a new record on
 * free ports. The stack's own settings name the load balancer's gRPC port as Temporal's, so the UI, the namespace
 * set-up and the service all go through it.
 */
export async function resolveCluster(
  options: { dir?: string; size?: ClusterSize; serviceEnv?: Record<string, string> } = {},
): Promise<Cluster> {
  const dir = path.resolve(options.dir ?? process.env.CLUSTER_DIR ?? path.join(PROJECT_ROOT, '.local', 'cluster'));
  const settings = await resolveSettings({ dir, pickFreePorts: true, env: {} });
  const recorded = fs.existsSync(recordFile(dir))
    ? (JSON.parse(fs.readFileSync(recordFile(dir), 'utf8')) as ClusterRecord)
    : undefined;
  const size = recorded?.size ?? options.size ?? FULL_CLUSTER;
  const ports = recorded?.ports ?? (await pickPorts(settings, size));
  const env = clusterEnvironment(settings, ports);
  return {
    settings,
    size,
    ports,
    env,
    components: clusterComponents(settings, ports, { ...env, ...options.serviceEnv }),
  };
}

function clusterEnvironment(settings: StackSettings, ports: ClusterPorts): Record<string, string> {
  const { host } = settings;
  return {
    AWS_REGION: settings.region,
    AWS_ACCESS_KEY_ID: settings.s3AccessKey,
    AWS_SECRET_ACCESS_KEY: settings.s3SecretKey,
    S3_ENDPOINT: `http://${host}:${settings.ports.s3Port}`,
    S3_FORCE_PATH_STYLE: 'true',
    S3_BUCKET: settings.bucket,
    DYNAMODB_ENDPOINT: `http://${host}:${settings.ports.dynamodbPort}`,
    DYNAMODB_TABLE_IMAGES: settings.imagesTable,
    TEMPORAL_ADDRESS: `${host}:${settings.ports.temporalPort}`,
    TEMPORAL_NAMESPACE: settings.temporalNamespace,
    TEMPORAL_UI_URL: `http://${host}:${settings.ports.temporalUiPort}`,
    FIREBASE_PROJECT_ID: settings.firebaseProjectId,
    FIREBASE_AUTH_EMULATOR_HOST: `${host}:${settings.ports.firebaseAuthPort}`,
    FIREBASE_API_KEY: 'demo-api-key',
    API_URL: `http://${host}:${ports.apiBalancer}`,
  };
}

/** One Temporal server process running one service: its own ports for that service, the others' listed too. */
function temporalProcess(
  settings: StackSettings,
  ports: ClusterPorts,
  service: TemporalServiceName,
  index: number,
): Component {
  const name = `temporal-${service}-${index + 1}`;
  const dir = path.join(settings.dir, 'temporal', name);
  const configFile = path.join(dir, 'config.yaml');
  const dynamicConfigFile = path.join(settings.dir, 'temporal', 'dynamicconfig.yaml');
  const own = ports.temporal[service][index]!;
  const sql = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${settings.host}:${ports.postgres}`,
      connectProtocol: 'tcp',
      user: POSTGRES_USER,
      password: '',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const shape: TemporalProcessShape = {
    persistence: {
      defaultStore: 'postgres',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: HISTORY_SHARDS,
      datastores: { postgres: sql('temporal', 20), 'postgres-visibility': sql('temporal_visibility', 5) },
    },
    services: {
      frontend: ports.temporal.frontend[0]!,
      history: ports.temporal.history[0]!,
      matching: ports.temporal.matching[0]!,
      worker: ports.temporal.worker[0]!,
      [service]: own,
    },
    frontendAddress: `${settings.host}:${settings.ports.temporalPort}`,
    frontendHttpAddress: `${settings.host}:${ports.temporal.frontend[0]!.httpPort}`,
  };
  return {
    name,
    port: own.grpcPort,
    startTimeoutMs: 90_000,
    prepare: () => {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(dynamicConfigFile, JSON.stringify(TEMPORAL_DYNAMIC_CONFIG, null, 2));
      fs.writeFileSync(
        configFile,
        JSON.stringify(temporalServerConfig(settings.host, shape, dynamicConfigFile), null, 2),
      );
    },
    spec: {
      name,
      command: path.join(settings.toolsDir, 'temporal-server'),
      args: ['--config-file', configFile, '--allow-no-auth', 'start', '--service', service],
      cwd: dir,
      ...daemonFiles(settings, name),
    },
    isHealthy: () =>
      service === 'frontend'
        ? answersTemporal(`${settings.host}:${own.grpcPort}`)
        : acceptsConnections(settings.host, own.grpcPort),
  };
}

/** An API or worker process of the service (its TypeScript entry point run with tsx), as a daemon of the cluster. */
function serviceProcess(
  settings: StackSettings,
  name: string,
  entry: string,
  env: Record<string, string>,
  isHealthy: () => Promise<boolean>,
  port: number,
): Component {
  return {
    name,
    port,
    startTimeoutMs: 60_000,
    prepare: () => {},
    spec: {
      name,
      command: process.execPath,
      args: ['--import', 'tsx', path.join(PROJECT_ROOT, entry)],
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
      ...daemonFiles(settings, name),
    },
    isHealthy,
  };
}

function clusterComponents(
  settings: StackSettings,
  ports: ClusterPorts,
  serviceEnv: Record<string, string>,
): Component[] {
  const { host } = settings;
  const temporal = (['history', 'matching', 'frontend', 'worker'] as const).flatMap((service) =>
    ports.temporal[service].map((_, index) => temporalProcess(settings, ports, service, index)),
  );
  const workers = ports.workerMetrics.map((metricsPort, index) =>
    serviceProcess(
      settings,
      `worker-${index + 1}`,
      'src/workers/main.ts',
      { ...serviceEnv, WORKER_METRICS_ADDRESS: `${host}:${metricsPort}` },
      () => answersHttp(`http://${host}:${metricsPort}/metrics`, [200]),
      metricsPort,
    ),
  );
  const apis = ports.apis.map((apiPort, index) =>
    serviceProcess(
      settings,
      `api-${index + 1}`,
      'src/api/main.ts',
      // glibc's mmap threshold held, as scripts/start.sh runs the API.
      { ...serviceEnv, API_HOST: host, API_PORT: String(apiPort), MALLOC_MMAP_THRESHOLD_: '131072' },
      () => answersHttp(`http://${host}:${apiPort}/readyz`, [200]),
      apiPort,
    ),
  );
  return [
    postgresComponent(settings, ports.postgres),
    s3Component(settings),
    dynamodbComponent(settings),
    firebaseAuthComponent(settings),
    ...temporal,
    haproxyComponent(settings, {
      temporalPort: settings.ports.temporalPort,
      temporalFrontends: ports.temporal.frontend.map((frontend, index) => ({
        name: `frontend-${index + 1}`,
        port: frontend.grpcPort,
      })),
      apiPort: ports.apiBalancer,
      apis: ports.apis.map((port, index) => ({ name: `api-${index + 1}`, port })),
      statsPort: ports.balancerStats,
    }),
    temporalUiComponent(settings),
    ...workers,
    ...apis,
  ];
}

/** 0: the stores; 1: Temporal's services and the load balancer; 2: the UI and the service's processes. */
const phaseOf = (name: string) =>
  ['postgres', 's3', 'dynamodb', 'firebase-auth'].includes(name)
    ? 0
    : name === 'haproxy' || (name.startsWith('temporal-') && name !== 'temporal-ui')
      ? 1
      : 2;

/**
 * Starts the cluster: the stores first, then Temporal's schema, Temporal's services and the load balancer, then the
 * namespace, bucket and table, then the UI, the workers and the APIs. Anything started is stopped again on failure.
 */
export async function startCluster(cluster: Cluster, log: (line: string) => void = () => {}): Promise<void> {
  const { settings } = cluster;
  for (const tool of ['temporal-server', 'temporal-sql-tool', 'temporal-ui-server', 'versitygw', 'haproxy']) {
    if (!fs.existsSync(path.join(settings.toolsDir, tool)))
      throw new Error(`Missing tool: ${tool}. Run: bash scripts/install-tools.sh`);
  }
  fs.mkdirSync(settings.dir, { recursive: true });
  fs.writeFileSync(stackPortsFile(settings.dir), JSON.stringify(settings.ports));
  fs.writeFileSync(recordFile(settings.dir), JSON.stringify({ size: cluster.size, ports: cluster.ports }));
  try {
    for (const phase of [0, 1, 2]) {
      if (phase === 1) {
        ensureTemporalSchema(settings, cluster.ports.postgres);
        log(
          `Temporal schema on PostgreSQL ${settings.host}:${cluster.ports.postgres}, ${HISTORY_SHARDS} history shards`,
        );
      }
      if (phase === 2) {
        await provisionStack(settings, log);
      }
      const start = async (component: Component) => {
        const began = Date.now();
        const pid = await startComponent(component);
        log(`${component.name} up on ${settings.host}:${component.port} (${Date.now() - began} ms, pid ${pid})`);
      };
      const inPhase = cluster.components.filter((component) => phaseOf(component.name) === phase);
      // On a new database the first Temporal process writes the cluster's metadata; several at once race to insert
      // it, and the losers exit. One first, then the rest.
      if (phase === 1) await start(inPhase.shift()!);
      await Promise.all(inPhase.map(start));
    }
    writeEnvFile(clusterEnvFile(settings.dir), cluster.env);
  } catch (error) {
    await stopCluster(cluster);
    throw error;
  }
}

/** Stops every process of the cluster, the service's first and PostgreSQL last. */
export async function stopCluster(cluster: Cluster): Promise<string[]> {
  const stopped: string[] = [];
  for (const phase of [2, 1, 0]) {
    const inPhase = cluster.components.filter((component) => phaseOf(component.name) === phase);
    // PostgreSQL after the stores beside it, once nothing uses it.
    for (const group of [inPhase.filter((c) => c.name !== 'postgres'), inPhase.filter((c) => c.name === 'postgres')]) {
      await Promise.all(
        group.map(async (component) => {
          if (await stopDaemon(component.spec.pidFile, 10_000, component.spec.stopSignal)) stopped.push(component.name);
        }),
      );
    }
  }
  fs.rmSync(clusterEnvFile(cluster.settings.dir), { force: true });
  return stopped;
}

export interface ClusterComponentStatus extends ComponentStatus {
  address: string;
}

export async function clusterStatus(cluster: Cluster): Promise<ClusterComponentStatus[]> {
  return Promise.all(
    cluster.components.map(async (component) => ({
      ...(await componentStatus(component)),
      address: `${cluster.settings.host}:${component.port}`,
    })),
  );
}

/** The pid of a running component, read from its pid file. */
export const pidOf = (component: Component): number | undefined => runningPid(component.spec.pidFile);

/** Where to look: the addresses a person or a client needs. */
export function clusterAddresses(cluster: Cluster): Array<[string, string]> {
  const { host } = cluster.settings;
  return [
    ['gallery and API (load balancer)', `${cluster.env.API_URL}/`],
    ['Temporal gRPC (load balancer)', cluster.env.TEMPORAL_ADDRESS!],
    ['Temporal UI', `${cluster.env.TEMPORAL_UI_URL}/namespaces/${cluster.settings.temporalNamespace}/workflows`],
    ['HAProxy stats', `http://${host}:${cluster.ports.balancerStats}/`],
    ['PostgreSQL', `postgresql://${POSTGRES_USER}@${host}:${cluster.ports.postgres}/temporal`],
    ['logs', path.join(cluster.settings.dir, 'logs')],
  ];
}
