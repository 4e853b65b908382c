import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createDynamoDbClient } from '../../src/clients/dynamodb';
import { createS3Client } from '../../src/clients/s3';
import { provisionResources } from '../../src/provisioning/provision';
import { dynamodbComponent, firebaseAuthComponent, s3Component, type Component } from './components';
import { runningPid, startDaemon, stopDaemon, waitUntilHealthy } from './daemon';
import {
  ensureSecretsUsers,
  motoServerOf,
  secretsManagerComponent,
  secretsUsersEnvironment,
  secretsUsersFileOf,
} from './secretsManager';
import { stackPortsFile, type StackSettings } from './settings';
import { ensureTemporalNamespace, temporalServerComponent, temporalUiComponent } from './temporal';

/** The variables that point the service at this stack; also written to `<dir>/stack.env`. */
export function serviceEnvironment(settings: StackSettings): Record<string, string> {
  const { host, ports } = settings;
  return {
    AWS_REGION: settings.region,
    AWS_ACCESS_KEY_ID: settings.s3AccessKey,
    AWS_SECRET_ACCESS_KEY: settings.s3SecretKey,
    S3_ENDPOINT: `http://${host}:${ports.s3Port}`,
    S3_FORCE_PATH_STYLE: 'true',
    S3_BUCKET: settings.bucket,
    DYNAMODB_ENDPOINT: `http://${host}:${ports.dynamodbPort}`,
    DYNAMODB_TABLE_IMAGES: settings.imagesTable,
    TEMPORAL_ADDRESS: `${host}:${ports.temporalPort}`,
    TEMPORAL_NAMESPACE: settings.temporalNamespace,
    TEMPORAL_UI_URL: `http://${host}:${ports.temporalUiPort}`,
    FIREBASE_PROJECT_ID: settings.firebaseProjectId,
    FIREBASE_AUTH_EMULATOR_HOST: `${host}:${ports.firebaseAuthPort}`,
    // The emulator accepts any API key; real projects set their own.
    FIREBASE_API_KEY: 'demo-api-key',
    SECRETS_MANAGER_ENDPOINT: `http://${host}:${ports.secretsManagerPort}`,
  };
}

export function components(settings: StackSettings): Component[] {
  return [
    temporalServerComponent(settings),
    temporalUiComponent(settings),
    s3Component(settings),
    dynamodbComponent(settings),
    firebaseAuthComponent(settings),
    secretsManagerComponent(settings),
  ];
}

export const envFileOf = (settings: StackSettings) => path.join(settings.dir, 'stack.env');
export const portsFileOf = (settings: StackSettings) => stackPortsFile(settings.dir);

function requireTools(settings: StackSettings): void {
  const missing = [
    ...['temporal-server', 'temporal-ui-server', 'versitygw'].map((tool) => path.join(settings.toolsDir, tool)),
    motoServerOf(settings),
  ].filter((tool) => !fs.existsSync(tool));
  if (missing.length > 0) {
    throw new Error(`Missing tools: ${missing.join(', ')}. Run: bash scripts/install-tools.sh`);
  }
}

/** Starts one component and waits until it is healthy; returns its pid. */
export async function startComponent(component: Component): Promise<number> {
  component.prepare();
  const daemon = startDaemon(component.spec);
  await waitUntilHealthy(daemon, component.isHealthy, component.startTimeoutMs);
  return daemon.pid;
}

/** A stack's environment as `KEY=value` lines, readable by its owner only (it holds keys). */
export function writeEnvFile(file: string, env: Record<string, string>): void {
  const lines = Object.entries(env).map(([key, value]) => `${key}=${value}`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
}

/**
 * Starts every component at once, waits for each to be healthy, then creates the bucket and tables.
 * On any failure the components already started are stopped again, so nothing is left running.
 */
export async function startStack(
  settings: StackSettings,
  log: (line: string) => void = () => {},
): Promise<Record<string, string>> {
  requireTools(settings);
  fs.mkdirSync(settings.dir, { recursive: true });
  fs.writeFileSync(portsFileOf(settings), JSON.stringify(settings.ports));
  const all = components(settings);
  try {
    await Promise.all(
      all.map(async (component) => {
        const began = Date.now();
        const pid = await startComponent(component);
        log(`${component.name} up on ${settings.host}:${component.port} (${Date.now() - began} ms, pid ${pid})`);
      }),
    );
    const env = await provisionStack(settings, log);
    writeEnvFile(envFileOf(settings), env);
    return env;
  } catch (error) {
    // Every component was started (or tried): a pid file is written only for one that started.
    await Promise.all(all.map((component) => stopDaemon(component.spec.pidFile)));
    throw error;
  }
}

/**
 * Creates the namespace, bucket and tables the service needs when missing, and the Secrets Manager users where IAM
 * is enforced (also on a stack that is already up). Returns the service's environment, with the users' keys
 * (STACK_SECRETS_*) where there are users.
 */
export async function provisionStack(
  settings: StackSettings,
  log: (line: string) => void = () => {},
): Promise<Record<string, string>> {
  const env = serviceEnvironment(settings);
  const config = loadConfig(env);
  const s3 = createS3Client(config);
  const dynamodb = createDynamoDbClient(config);
  try {
    const [namespace, result, secretsUsers] = await Promise.all([
      ensureTemporalNamespace(settings),
      provisionResources({ s3, dynamodb }, config),
      settings.secretsIam ? ensureSecretsUsers(settings) : undefined,
    ]);
    log(`namespace ${settings.temporalNamespace} ${namespace.created ? 'created' : 'present'}`);
    log(
      `bucket ${config.s3.bucket} ${result.bucketCreated ? 'created' : 'present'} (lifecycle rule: ${result.bucketLifecycle}); tables created: ${result.tablesCreated.join(', ') || 'none'}`,
    );
    if (!secretsUsers) return env;
    log(`secrets manager users ${secretsUsers.created ? 'created' : 'present'}`);
    return { ...env, ...secretsUsersEnvironment(secretsUsers.keys) };
  } finally {
    s3.destroy();
    dynamodb.destroy();
  }
}

export async function stopStack(settings: StackSettings): Promise<string[]> {
  const stopped: string[] = [];
  await Promise.all(
    components(settings).map(async (component) => {
      if (await stopDaemon(component.spec.pidFile)) stopped.push(component.name);
    }),
  );
  fs.rmSync(envFileOf(settings), { force: true });
  fs.rmSync(portsFileOf(settings), { force: true });
  fs.rmSync(secretsUsersFileOf(settings), { force: true });
  return stopped;
}

export interface ComponentStatus {
  name: string;
  pid?: number;
  running: boolean;
  healthy: boolean;
}

/** Whether a component's process is running (by its pid file) and answering its health check. */
export async function componentStatus(component: Component): Promise<ComponentStatus> {
  const pid = runningPid(component.spec.pidFile);
  const healthy = pid !== undefined && (await component.isHealthy().catch(() => false));
  return { name: component.name, pid, running: pid !== undefined, healthy };
}

export async function stackStatus(settings: StackSettings): Promise<ComponentStatus[]> {
  return Promise.all(components(settings).map(componentStatus));
}
