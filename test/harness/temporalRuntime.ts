import { DefaultLogger, Runtime } from '@temporalio/worker';

let installed = false;

/**
 * Keeps workers in tests to errors, the SDK core's included (expected failures, a replay meant to fail, still log a
 * warning each otherwise); the SDK allows one runtime per process, so install it once.
 */
export function installQuietRuntime(): void {
  if (installed) return;
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { forward: {}, filter: { core: 'ERROR', other: 'ERROR' } } },
  });
  installed = true;
}
