/**
 * bench/load: N uploads (default 1,000) at concurrency C (default 32) through the API of a fresh local stack, one
 * API and one worker process, then waits for every workflow and audits storage: uploads/s, accept latency
 * p50/p95/p99, completed, failed, lost (accepted but no item or no completed run), duplicate objects, items and
 * runs, and images/s end to end (first upload to last completed). Loopback only; bounded in count and in time
 * (20 minutes). Targets: all completed, 0 lost, 0 duplicates; ≥ 15 images/s end to end on 2 cores.
 * With --worker-paused the worker is stopped (SIGSTOP) while the uploads are accepted and resumed after: the accept
 * path alone, as when the workers run on other machines; the images are then processed from the backlog.
 *   npx tsx bench/load.ts [uploads=1000] [concurrency=32] [--worker-paused]
 */
import { createTestUser } from '../test/harness/users';
import { runBench, withBenchStack } from './benchStack';
import { costPerImage, countsSince, describeCost, storeCounts, readRunHistories } from './costPerImage';
import { cpuMeter, stackPids, type CpuUse } from './processCpu';
import { auditUploads, describeLoad, runUploads } from './loadRun';
import { startServiceProcesses } from './serviceProcess';
import { syntheticPhotos } from './syntheticPhotos';

const flags = process.argv.slice(2).filter((arg) => arg.startsWith('--'));
const [uploadsArg, concurrencyArg] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const UPLOADS = Number(uploadsArg ?? 1_000);
const CONCURRENCY = Number(concurrencyArg ?? 32);
const WORKER_PAUSED = flags.includes('--worker-paused');
const TIME_LIMIT_MS = 20 * 60_000;

/** CPU per upload by process while the uploads were being accepted: where the accept path's time goes. */
function acceptCpu(cpu: CpuUse, uploads: number): string {
  const perUpload = Object.entries(cpu.processes)
    .filter(([, seconds]) => seconds >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([name, seconds]) => `${name} ${((seconds / uploads) * 1000).toFixed(1)}`)
    .join(', ');
  return `CPU per upload while accepting: ${perUpload} ms; machine ${(cpu.machineBusy * 100).toFixed(0)} % busy`;
}

runBench(() =>
  withBenchStack(async (stackEnv, stackDir) => {
    const deadline = Date.now() + TIME_LIMIT_MS;
    // Photos of 0.2-0.5 MP: the load is on the service's handling of many images, not on decoding large ones.
    const photos = await syntheticPhotos(40, 0.4);
    const service = await startServiceProcesses(stackEnv);
    try {
      const user = await createTestUser(service.config);
      console.log(
        `bench/load: ${UPLOADS} uploads at concurrency ${CONCURRENCY} of 40 generated photos (0.2-0.5 MP)` +
          (WORKER_PAUSED ? ', the worker paused while accepting' : ''),
      );
      const before = await storeCounts(service.metricsUrls);
      const meter = cpuMeter({ ...stackPids(stackDir), api: service.api.pid!, worker: service.worker.pid! });
      // Tasks the paused worker had already polled for time out and are handed out again once it resumes.
      if (WORKER_PAUSED) service.worker.kill('SIGSTOP');
      const began = Date.now();
      const result = await runUploads({
        baseUrl: service.base,
        token: user.idToken,
        uploads: UPLOADS,
        concurrency: CONCURRENCY,
        photos,
        deadline,
      });
      const accepting = meter();
      if (WORKER_PAUSED) service.worker.kill('SIGCONT');
      const waitBegan = Date.now();
      const audit = await auditUploads(service, user.uid, result.accepted, deadline);
      console.log(describeLoad(result, audit));
      console.log(acceptCpu(accepting, result.accepted.length));
      const done = audit.settledAt;
      console.log(
        `all images processed ${((done - waitBegan) / 1000).toFixed(1)} s after the last upload was accepted`,
      );
      console.log(
        `end to end: ${audit.completed} completed ${((done - began) / 1000).toFixed(1)} s after the first upload began = ${(audit.completed / ((done - began) / 1000)).toFixed(1)} images/s`,
      );
      if (audit.lost.length > 0)
        console.log(`lost: ${audit.lost.slice(0, 10).join(', ')}${audit.lost.length > 10 ? ', ...' : ''}`);
      const store = countsSince(before, await storeCounts(service.metricsUrls));
      const { actions } = await readRunHistories(
        service.temporal,
        result.accepted.map((imageId) => `image-${imageId}`),
      );
      console.log(describeCost(costPerImage(store, actions, result.accepted.length)));
    } finally {
      if (WORKER_PAUSED) service.worker.kill('SIGCONT'); // a stopped process would not see the SIGTERM
      await service.stop();
    }
  }),
);
