import type { Auth } from 'firebase-admin/auth';
import type { ImageWorkflows } from '../clients/imageWorkflows';
import type { Config } from '../config';
import type { Storage } from '../storage/createStorage';
import { firebaseAuthCheck } from './firebaseAuthCheck';

/** One dependency the API cannot serve without; `check` throws when it is unreachable or unusable. */
export interface DependencyCheck {
  name: string;
  check: (signal: AbortSignal) => Promise<void>;
}

export interface ComponentReport {
  status: 'up' | 'down';
  latency_ms: number;
}

export interface ReadinessReport {
  ready: boolean;
  /** What anyone may see: each component's state and latency. */
  components: Record<string, ComponentReport>;
  /** Why each component is down, in the dependency's own words: for the logs only (it names hosts and addresses). */
  errors: Record<string, string>;
}

/** Runs every check at once, each bounded by `timeoutMs`, and reports each component's state. */
export async function checkReadiness(checks: DependencyCheck[], timeoutMs: number): Promise<ReadinessReport> {
  const errors: Record<string, string> = {};
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
        errors[name] = error instanceof Error ? error.message || error.name : String(error);
        return [name, { status: 'down', latency_ms: Math.round(performance.now() - began) }];
      }
    }),
  );
  return {
    ready: entries.every(([, report]) => report.status === 'up'),
    components: Object.fromEntries(entries),
    errors,
  };
}

export interface ReadinessDependencies {
  storage: Storage;
  workflows: ImageWorkflows;
  firebaseAuth: Auth;
  config: Config;
}

export function dependencyChecks({
  storage,
  workflows,
  firebaseAuth,
  config,
}: ReadinessDependencies): DependencyCheck[] {
  return [
    { name: 's3', check: (signal) => storage.objects.checkBucket(signal) },
    { name: 'dynamodb', check: (signal) => storage.images.checkTable(signal) },
    { name: 'temporal', check: () => workflows.checkNamespace() },
    firebaseAuthCheck(firebaseAuth, config),
  ];
}
