import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Client } from '@temporalio/client';
import type { Config } from '../config';

/** One dependency the API cannot serve without; `check` throws when it is unreachable or unusable. */
export interface DependencyCheck {
  name: string;
  check: (signal: AbortSignal) => Promise<void>;
}

export interface ComponentReport {
  status: 'up' | 'down';
  latency_ms: number;
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  components: Record<string, ComponentReport>;
}

/** Runs every check at once, each bounded by `timeoutMs`, and reports each component's state. */
export async function checkReadiness(checks: DependencyCheck[], timeoutMs: number): Promise<ReadinessReport> {
  const entries = await Promise.all(
    checks.map(async ({ name, check }): Promise<[string, ComponentReport]> => {
      const began = performance.now();
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        await Promise.race([
          check(signal),
          new Promise<never>((_, reject) =>
            signal.addEventListener('abort', () => reject(new Error(`no answer within ${timeoutMs} ms`))),
          ),
        ]);
        return [name, { status: 'up', latency_ms: Math.round(performance.now() - began) }];
      } catch (error) {
        const message = error instanceof Error ? error.message || error.name : String(error);
        return [name, { status: 'down', latency_ms: Math.round(performance.now() - began), error: message }];
      }
    }),
  );
  return { ready: entries.every(([, report]) => report.status === 'up'), components: Object.fromEntries(entries) };
}

export interface ReadinessDependencies {
  s3: S3Client;
  dynamodb: DynamoDBClient;
  temporal: Client;
}

// The public keys Firebase ID tokens are signed with: reachable means tokens can be verified.
const FIREBASE_TOKEN_KEYS_URL =
  'https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com';

async function expectOk(url: string, signal: AbortSignal): Promise<void> {
  const response = await fetch(url, { signal });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${new URL(url).host}`);
}

export function dependencyChecks(deps: ReadinessDependencies, config: Config): DependencyCheck[] {
  const emulator = config.firebase.authEmulatorHost;
  return [
    {
      name: 's3',
      check: async (signal) =>
        void (await deps.s3.send(new HeadBucketCommand({ Bucket: config.s3.bucket }), { abortSignal: signal })),
    },
    {
      name: 'dynamodb',
      check: async (signal) => {
        const { Table } = await deps.dynamodb.send(
          new DescribeTableCommand({ TableName: config.dynamodb.imagesTable }),
          { abortSignal: signal },
        );
        if (Table?.TableStatus !== 'ACTIVE')
          throw new Error(`table ${config.dynamodb.imagesTable} is ${Table?.TableStatus ?? 'unknown'}`);
      },
    },
    {
      name: 'temporal',
      check: async () =>
        void (await deps.temporal.workflowService.describeNamespace({ namespace: config.temporal.namespace })),
    },
    {
      name: 'firebase_auth',
      check: (signal) =>
        emulator
          ? expectOk(`http://${emulator}/emulator/v1/projects/${config.firebase.projectId}/config`, signal)
          : expectOk(FIREBASE_TOKEN_KEYS_URL, signal),
    },
  ];
}
