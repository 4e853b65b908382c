import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { answersHttp, daemonFiles, type Component } from './components';
import type { StackSettings } from './settings';

// Runs on this stack live for three days after they close: long enough to look at in the UI.
const RETENTION = '3 days';

/** Where one Temporal service listens: gRPC and membership (ringpop) ports, and the frontend's HTTP API. */
export interface TemporalServicePorts {
  grpcPort: number;
  membershipPort: number;
  httpPort?: number;
}

export type TemporalServiceName = 'frontend' | 'history' | 'matching' | 'worker';

/** What sets one Temporal server process apart: its store, the ports of each service, where clients reach it. */
export interface TemporalProcessShape {
  persistence: Record<string, unknown>;
  /** Every process lists all four services (the server checks that), even those it does not run. */
  services: Record<TemporalServiceName, TemporalServicePorts>;
  /** The frontend address clients use (the load balancer's, in a cluster). */
  frontendAddress: string;
  frontendHttpAddress: string;
  metricsAddress?: string;
}

/** A Temporal server process's configuration. JSON is YAML, so the server reads it as is. */
export function temporalServerConfig(host: string, shape: TemporalProcessShape, dynamicConfigFile: string) {
  const service = (ports: TemporalServicePorts) => ({ rpc: { ...ports, bindOnIP: host } });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: shape.persistence,
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: host },
      ...(shape.metricsAddress && {
        metrics: {
          prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: shape.metricsAddress },
        },
      }),
    },
    services: Object.fromEntries(
      Object.entries(shape.services).map(([name, ports]) => [name, service(ports)]),
    ) as Record<TemporalServiceName, ReturnType<typeof service>>,
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'local',
      currentClusterName: 'local',
      clusterInformation: {
        local: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: shape.frontendAddress,
          httpAddress: shape.frontendHttpAddress,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '60s' },
  };
}

/** The single-process server: every service in one process, one SQLite file for history and visibility. */
function singleProcessShape(settings: StackSettings): TemporalProcessShape {
  const { host, ports } = settings;
  const internal = ports.temporalInternal;
  return {
    persistence: {
      defaultStore: 'sqlite',
      visibilityStore: 'sqlite',
      numHistoryShards: 1,
      datastores: {
        sqlite: {
          sql: {
            pluginName: 'sqlite',
            databaseName: path.join(settings.dir, 'temporal', 'temporal.db'),
            connectAddr: 'localhost',
            connectProtocol: 'tcp',
            // `setup` creates the schema on first start. WAL with synchronous=NORMAL: every commit survives the server
            // process dying (kill -9 included); only a machine crash can lose the last moments.
            connectAttributes: { mode: 'rwc', setup: 'true', journal_mode: 'wal', synchronous: '1' },
          },
        },
      },
    },
    services: {
      frontend: {
        grpcPort: ports.temporalPort,
        membershipPort: internal.frontendMembership,
        httpPort: ports.temporalHttpPort,
      },
      history: { grpcPort: internal.history, membershipPort: internal.historyMembership },
      matching: { grpcPort: internal.matching, membershipPort: internal.matchingMembership },
      worker: { grpcPort: internal.worker, membershipPort: internal.workerMembership },
    },
    frontendAddress: `${host}:${ports.temporalPort}`,
    frontendHttpAddress: `${host}:${ports.temporalHttpPort}`,
    metricsAddress: `${host}:${ports.temporalMetricsPort}`,
  };
}

export const TEMPORAL_DYNAMIC_CONFIG = {
  // An activity scheduled by a workflow task goes straight back to the worker that completed it (as Temporal Cloud
  // does), instead of a round trip through matching; likewise a workflow's first task with its start.
  'system.enableActivityEagerExecution': [{ value: true }],
  'system.enableEagerWorkflowStart': [{ value: true }],
  // A namespace or search attribute registered at start-up is usable within a second instead of ten.
  'system.namespaceCacheRefreshInterval': [{ value: '1s' }],
};

/** The Temporal server (go.temporal.io/server), built by scripts/install-tools.sh. JSON is YAML, so it reads it as is. */
export function temporalServerComponent(settings: StackSettings): Component {
  const dir = path.join(settings.dir, 'temporal');
  const configFile = path.join(dir, 'config.yaml');
  const dynamicConfigFile = path.join(dir, 'dynamicconfig.yaml');
  return {
    name: 'temporal',
    port: settings.ports.temporalPort,
    startTimeoutMs: 60_000,
    prepare: () => {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(dynamicConfigFile, JSON.stringify(TEMPORAL_DYNAMIC_CONFIG, null, 2));
      fs.writeFileSync(
        configFile,
        JSON.stringify(temporalServerConfig(settings.host, singleProcessShape(settings), dynamicConfigFile), null, 2),
      );
    },
    spec: {
      name: 'temporal',
      command: path.join(settings.toolsDir, 'temporal-server'),
      // No authorizer: the server listens on loopback only.
      args: ['--config-file', configFile, '--allow-no-auth', 'start'],
      cwd: dir,
      ...daemonFiles(settings, 'temporal'),
    },
    isHealthy: () => answersTemporal(`${settings.host}:${settings.ports.temporalPort}`),
  };
}

/** Whether a Temporal frontend at `address` answers a request. */
export async function answersTemporal(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  try {
    await connection.workflowService.getSystemInfo({});
    return true;
  } finally {
    await connection.close();
  }
}

/** The Temporal Web UI (github.com/temporalio/ui-server), pointed at the server, opening on the service's namespace. */
export function temporalUiComponent(settings: StackSettings): Component {
  const dir = path.join(settings.dir, 'temporal-ui');
  const port = settings.ports.temporalUiPort;
  const config = {
    temporalGrpcAddress: `${settings.host}:${settings.ports.temporalPort}`,
    host: settings.host,
    port,
    enableUi: true,
    defaultNamespace: settings.temporalNamespace,
    // News would be fetched from the internet; cookies over plain HTTP on loopback.
    disableNewsFetch: true,
    hideLogs: true,
    cors: { cookieInsecure: true },
  };
  return {
    name: 'temporal-ui',
    port,
    startTimeoutMs: 30_000,
    prepare: () => {
      fs.mkdirSync(path.join(dir, 'config'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'config', 'development.yaml'), JSON.stringify(config, null, 2));
    },
    spec: {
      name: 'temporal-ui',
      command: path.join(settings.toolsDir, 'temporal-ui-server'),
      args: ['--root', dir, '--config', 'config', '--env', 'development', 'start'],
      cwd: dir,
      ...daemonFiles(settings, 'temporal-ui'),
    },
    isHealthy: () => answersHttp(`http://${settings.host}:${port}/`, [200]),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries `attempt` until it answers (the server's namespace cache takes a moment to see a change), for 30 s. */
async function eventually<T>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(200);
    }
  }
}

/**
 * Registers the service's namespace and its search attributes when missing, and returns once both are usable;
 * safe to run on a stack that has them.
 */
export async function ensureTemporalNamespace(settings: StackSettings): Promise<{ created: boolean }> {
  const connection = await Connection.connect({ address: `${settings.host}:${settings.ports.temporalPort}` });
  const namespace = settings.temporalNamespace;
  try {
    let created = false;
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs(RETENTION),
      });
      created = true;
    }
    const names = () =>
      eventually(async () =>
        Object.keys((await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {}),
      );
    const present = await names();
    const toAdd = settings.searchAttributes.filter((key) => !present.includes(key.name));
    if (toAdd.length > 0) {
      const types = temporal.api.enums.v1.IndexedValueType;
      // Eventually: behind a load balancer, the frontend asked may not have seen the new namespace yet.
      await eventually(() =>
        connection.operatorService.addSearchAttributes({
          namespace,
          searchAttributes: Object.fromEntries(toAdd.map((key) => [key.name, types[`INDEXED_VALUE_TYPE_${key.type}`]])),
        }),
      );
      await eventually(async () => {
        const now = await names();
        if (!toAdd.every((key) => now.includes(key.name))) throw new Error('search attributes not visible yet');
      });
    }
    // Stored is not yet usable: each frontend maps the names from its namespace cache, refreshed every second, and
    // until then refuses a start that sets them. A query by each name is refused the same way, and starts nothing;
    // three in a row pass once every frontend a load balancer may pick has caught up.
    for (let passed = 0; passed < 3; passed++) {
      await eventually(() =>
        Promise.all(
          settings.searchAttributes.map((key) =>
            connection.workflowService.countWorkflowExecutions({ namespace, query: `${key.name} = 'probe'` }),
          ),
        ),
      );
    }
    return { created };
  } finally {
    await connection.close();
  }
}
