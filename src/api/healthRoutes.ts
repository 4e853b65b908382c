import type { OperationHandlers } from './contract/mountOperations';
import { sendProblem } from './problem';
import { checkReadiness, type DependencyCheck } from './readiness';

/**
 * `/healthz`: the process is up and serving (for restarts). `/readyz`: every dependency answers (for traffic);
 * 503 problem+json naming the components that are down otherwise.
 */
export function healthRoutes(
  checks: DependencyCheck[],
  timeoutMs: number,
): Pick<OperationHandlers, 'health' | 'readiness'> {
  return {
    health: (_input, { reply }) => {
      reply(200, { status: 'ok' });
    },
    readiness: async (_input, { req, res, reply }) => {
      const report = await checkReadiness(checks, timeoutMs);
      res.setHeader('Cache-Control', 'no-store');
      if (report.ready) {
        reply(200, { status: 'ready', components: report.components });
        return;
      }
      const down = Object.entries(report.components)
        .filter(([, component]) => component.status === 'down')
        .map(([name]) => name);
      req.log.warn({ errors: report.errors }, 'not ready');
      sendProblem(res, {
        status: 503,
        title: 'Service Unavailable',
        detail: `Not ready: ${down.join(', ')} down.`,
        components: report.components,
      });
    },
  };
}
