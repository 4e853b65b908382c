import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process and its threads have used so far; 0 once it is gone. */
export function cpuSecondsOf(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces), from field 3 on: utime and stime are fields 14 and 15.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Busy and total CPU seconds of the whole machine so far, from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const [, ...values] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const ticks = values.map(Number);
  const idle = ticks[3]! + ticks[4]!; // idle + iowait
  const total = ticks.reduce((sum, value) => sum + value, 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

/** The pids of a local stack's servers, from the pid files it keeps in `<dir>/run`. */
export function stackPids(stackDir: string): Record<string, number> {
  const runDir = path.join(stackDir, 'run');
  return Object.fromEntries(
    fs
      .readdirSync(runDir)
      .filter((file) => file.endsWith('.pid'))
      .map((file) => [file.replace(/\.pid$/, ''), Number(fs.readFileSync(path.join(runDir, file), 'utf8'))]),
  );
}

/**
 * Samples CPU use of named processes between `start` and `stop`: where the machine's time went during a run.
 * A process's children (DynamoDB Local's java under its launcher) are not included, so name the process itself.
 */
export function cpuMeter(processes: Record<string, number>) {
  const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuSecondsOf(pid)]));
  const machineBefore = machineCpuSeconds();
  return () => {
    const machine = machineCpuSeconds();
    const wall = (machine.total - machineBefore.total) / os.availableParallelism();
    const used = Object.entries(processes).map(
      ([name, pid]) => `${name} ${(cpuSecondsOf(pid) - before[name]!).toFixed(1)} s`,
    );
    return `CPU over ${wall.toFixed(1)} s on ${os.availableParallelism()} cores: machine ${(((machine.busy - machineBefore.busy) / (machine.total - machineBefore.total)) * 100).toFixed(0)} % busy; ${used.join(', ')}`;
  };
}
