/**
 * The cluster topology of the local stack (scripts/devstack/cluster.ts): Temporal as separate services on
 * PostgreSQL, HAProxy in front of the frontends and the APIs, two APIs and three workers.
 *   tsx scripts/cluster.ts up | down | status | env
 * Data lives in .local/cluster (CLUSTER_DIR), on free loopback ports kept in its cluster.json.
 */
import {
  clusterAddresses,
  clusterEnvFile,
  clusterStatus,
  resolveCluster,
  startCluster,
  stopCluster,
} from './devstack/cluster';
import { printEnvFile, runCommand } from './devstack/cli';

async function main(command: string | undefined): Promise<number> {
  const cluster = await resolveCluster();
  const printAddresses = () => {
    for (const [what, where] of clusterAddresses(cluster)) console.log(`  ${what.padEnd(32)} ${where}`);
  };
  switch (command) {
    case 'up': {
      const status = await clusterStatus(cluster);
      if (status.every((component) => component.healthy)) {
        console.log('cluster already up:');
        printAddresses();
        return 0;
      }
      if (status.some((component) => component.running)) await stopCluster(cluster);
      const began = Date.now();
      await startCluster(cluster, (line) => console.log(line));
      console.log(
        `cluster up in ${((Date.now() - began) / 1000).toFixed(1)} s; environment in ${clusterEnvFile(cluster.settings.dir)}`,
      );
      printAddresses();
      return 0;
    }
    case 'down': {
      const stopped = await stopCluster(cluster);
      console.log(stopped.length > 0 ? `stopped: ${stopped.join(', ')}` : 'nothing was running');
      return 0;
    }
    case 'status': {
      const status = await clusterStatus(cluster);
      for (const component of status) {
        const state = component.healthy ? 'healthy' : component.running ? 'running, not healthy' : 'stopped';
        console.log(
          `${component.name.padEnd(22)} ${component.address.padEnd(17)} ${state}${component.pid ? ` (pid ${component.pid})` : ''}`,
        );
      }
      printAddresses();
      return status.every((component) => component.healthy) ? 0 : 1;
    }
    case 'env':
      return printEnvFile(clusterEnvFile(cluster.settings.dir), 'cluster', 'npm run cluster -- up');
    default:
      console.error('usage: tsx scripts/cluster.ts up|down|status|env');
      return 2;
  }
}

runCommand(() => main(process.argv[2]));
