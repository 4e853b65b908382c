/**
 * bench/scale: the service as production runs it, on one machine. N uploads (default 2,000) at concurrency C
 * (default 32), first through the single-process stack (one Temporal process on SQLite, one API, one worker), then
 * through the cluster topology (scripts/devstack/cluster.ts: Temporal as 2 frontends, 2 history, 2 matching and 1
 * worker service on PostgreSQL with 16 shards, HAProxy in front of the frontends and of 2 APIs, 3 workers) while, in
 * turn, an API, a worker, a frontend, a history and a matching process are killed with kill -9 and started again.
 * Each upload's bytes are its own, so a retry after a lost answer is answered `duplicate_of` the image it made.
 * Prints for each: accepted, completed, failed, lost, duplicated, stuck, images/s end to end, CPU per image by
 * process; for the cluster each fault's time to recover, and its images/s against the single stack's.
 *   npx tsx bench/scale.ts [uploads=2000] [concurrency=32]
 */
import { describeFaults, loadUnderClusterFaults, withBenchCluster } from './clusterRun';
import { pidOf, FULL_CLUSTER } from '../scripts/devstack/cluster';
import { createTestUser } from '../test/harness/users';
import { runBench, withBenchStack } from './benchStack';
import { auditUploads, describeLoad, runUploads, type Audit, type LoadResult } from './loadRun';
import { machineCpuSeconds, stackPids, treeCpuSecondsOf } from './processCpu';
import { startServiceProcesses } from './serviceProcess';
import { syntheticPhotos } from './syntheticPhotos';

const UPLOADS = Number(process.argv[2] ?? 2000);
const CONCURRENCY = Number(process.argv[3] ?? 32);
const TIME_LIMIT_MS = 30 * 60_000;
// One user sends everything: no per-user limit.
const SERVICE_ENV = { RATE_LIMIT_PER_MINUTE: '0' };

/** CPU seconds by group of processes between two readings (processes started in between counted from 0). */
function cpuByGroup(pids: () => Record<string, number>) {
  const group = (name: string) => name.replace(/-\d+$/, '');
  const read = () =>
    Object.fromEntries(Object.entries(pids()).map(([name, pid]) => [`${name}:${pid}`, treeCpuSecondsOf(pid)]));
  const before = read();
  const machineBefore = machineCpuSeconds();
  return () => {
    const after = read();
    const machine = machineCpuSeconds();
    const groups: Record<string, number> = {};
    for (const [key, seconds] of Object.entries(after)) {
      const name = group(key.split(':')[0]!);
      groups[name] = (groups[name] ?? 0) + seconds - (before[key] ?? 0);
    }
    return { groups, machineBusy: machine.busy - machineBefore.busy };
  };
}

function describeRun(
  name: string,
  result: LoadResult,
  audit: Audit,
  began: number,
  cpu: ReturnType<ReturnType<typeof cpuByGroup>>,
) {
  const seconds = (audit.settledAt - began) / 1000;
  const perImage = (value: number) => ((value / Math.max(1, audit.completed)) * 1000).toFixed(0);
  const groups = Object.entries(cpu.groups)
    .sort((a, b) => b[1] - a[1])
    .map(([group, value]) => `${group} ${perImage(value)}`)
    .join(', ');
  console.log(`\n${name}`);
  console.log(describeLoad(result, audit));
  console.log(
    `end to end: ${audit.completed} completed in ${seconds.toFixed(1)} s = ${(audit.completed / seconds).toFixed(2)} images/s`,
  );
  console.log(`CPU per image: the machine ${perImage(cpu.machineBusy)} ms; by process: ${groups} ms`);
  return audit.completed / seconds;
}

runBench(async () => {
  const photos = await syntheticPhotos(40, 0.4);
  console.log(
    `bench/scale: ${UPLOADS} uploads at concurrency ${CONCURRENCY} of 40 generated photos (0.2-0.5 MP), each upload's bytes its own`,
  );

  const single = await withBenchStack(async (stackEnv, stackDir) => {
    const service = await startServiceProcesses(stackEnv, { ...SERVICE_ENV, DUPLICATES: 'link' });
    try {
      const user = await createTestUser(service.config);
      const cpu = cpuByGroup(() => ({ ...stackPids(stackDir), api: service.api.pid!, worker: service.worker.pid! }));
      const began = Date.now();
      const deadline = began + TIME_LIMIT_MS;
      const result = await runUploads({
        baseUrl: service.base,
        token: user.idToken,
        uploads: UPLOADS,
        concurrency: CONCURRENCY,
        photos,
        deadline,
        uniqueBodies: true,
      });
      let used: ReturnType<typeof cpu> | undefined;
      const audit = await auditUploads(service, user.uid, result.accepted, deadline, () => (used = cpu()));
      return describeRun(
        'single-process stack (Temporal on SQLite, 1 API, 1 worker), no faults',
        result,
        audit,
        began,
        used!,
      );
    } finally {
      await service.stop();
    }
  });

  const faults = ['api-1', 'worker-1', 'temporal-frontend-1', 'temporal-history-1', 'temporal-matching-1'];
  const clustered = await withBenchCluster(FULL_CLUSTER, SERVICE_ENV, async (service) => {
    const user = await createTestUser(service.config);
    const pids = () =>
      Object.fromEntries(
        service.cluster.components.flatMap((component) => {
          const pid = pidOf(component);
          return pid === undefined ? [] : [[component.name, pid]];
        }),
      );
    const cpu = cpuByGroup(pids);
    const began = Date.now();
    let used: ReturnType<typeof cpu> | undefined;
    const { events, result, audit } = await loadUnderClusterFaults(service, {
      onSettled: () => (used = cpu()),
      token: user.idToken,
      userId: user.uid,
      uploads: UPLOADS,
      concurrency: CONCURRENCY,
      photos,
      faults: faults.map((name, index) => [Math.round((UPLOADS * (index + 1)) / (faults.length + 1)), name]),
      downMs: 3_000,
      deadline: began + TIME_LIMIT_MS,
    });
    const rate = describeRun(
      'cluster (Temporal: 2 frontends, 2 history, 2 matching, 1 worker service on PostgreSQL, 16 shards; HAProxy; 2 APIs, 3 workers), kill -9 of each kind',
      result,
      audit,
      began,
      used!,
    );
    console.log(describeFaults(events));
    return rate;
  });

  console.log(
    `\nthe cluster under faults: ${clustered.toFixed(2)} images/s = ${((clustered / single) * 100).toFixed(0)} % of the single-process stack's ${single.toFixed(2)} (same box, 2 cores: overhead, not speed-up)`,
  );
});
