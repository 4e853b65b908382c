import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * The fields of a /proc stat file after the command name (which may hold spaces), from field 3 on: index 11 and 12
 * are utime and stime (fields 14 and 15), 13 and 14 cutime and cstime.
 */
function statFields(statFile: string): string[] {
  const stat = fs.readFileSync(statFile, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU seconds (user + system) a process and its threads (or one thread, by its stat file) have used so far; 0 once gone. */
export function cpuSecondsOf(pid: number, statFile = `/proc/${pid}/stat`): number {
  try {
    const fields = statFields(statFile);
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) of this process's children that have ended and been waited for. */
export function childrenCpuSeconds(): number {
  const fields = statFields('/proc/self/stat');
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
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
 * CPU seconds so far of a process's live threads, grouped by what they run (from each thread's name): libvips
 * (sharp's image work), the JS main thread, V8's helper threads (mostly garbage collection), the libuv pool (sharp's
 * pipelines are started there, crypto and zlib too), a Node worker thread (the Temporal workflows) and the Temporal
 * core's Rust runtime. A thread that ended takes its time with it, so the groups can add up to less than the process.
 */
export function threadCpuSecondsOf(pid: number): Record<string, number> {
  const groups: Record<string, number> = {};
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return groups;
  }
  for (const task of tasks) {
    const seconds = cpuSecondsOf(Number(task), `/proc/${pid}/task/${task}/stat`);
    let name: string;
    try {
      name = fs.readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    const group = THREAD_GROUPS.find(([pattern]) => pattern.test(name))?.[1] ?? 'other';
    groups[group] = (groups[group] ?? 0) + seconds;
  }
  return groups;
}

/** Seconds used by each thread group since `before` (an earlier threadCpuSecondsOf of the same process). */
export function threadCpuSince(pid: number, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(threadCpuSecondsOf(pid)).map(([group, seconds]) => [group, seconds - (before[group] ?? 0)]),
  );
}

const THREAD_GROUPS: Array<[RegExp, string]> = [
  [/^libvips|^vips/, 'libvips'],
  // Node 26 names its threads with a `node-` prefix (node-MainThread, node-V8Worker); older Nodes without.
  [/^(node-)?MainThread$|^node$/, 'JS main thread'],
  [/^(node-)?V8Worker|^V8 /, 'V8 helpers (GC)'],
  [/^(node-)?libuv-worker/, 'libuv pool'],
  // Node's worker threads carry one name: the Temporal workflow thread and, with a network-based AI provider, the
  // model thread (src/ai/modelThread.ts) are counted together.
  [/^(node-)?WorkerThread$/, 'worker threads (workflows, models)'],
  [/^tokio/, 'Temporal core'],
];

/** What a process used between `start` and `stop` of a cpuMeter: seconds in all, and by thread group. */
export interface CpuUse {
  /** Wall-clock seconds of the window. */
  seconds: number;
  /** Share of the machine's CPU time that was busy in the window, 0-1. */
  machineBusy: number;
  processes: Record<string, number>;
  /** Thread groups of the processes named in `threadsOf`. */
  threads: Record<string, Record<string, number>>;
}

/**
 * Samples CPU use of named processes between `start` and `stop`: where the machine's time went during a run.
 * A process's children (DynamoDB Local's java under its launcher) are not included, so name the process itself.
 */
export function cpuMeter(processes: Record<string, number>, threadsOf: string[] = []): () => CpuUse {
  const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuSecondsOf(pid)]));
  const threadsBefore = Object.fromEntries(threadsOf.map((name) => [name, threadCpuSecondsOf(processes[name]!)]));
  const machineBefore = machineCpuSeconds();
  return () => {
    const machine = machineCpuSeconds();
    const threads = Object.fromEntries(
      threadsOf.map((name) => [name, threadCpuSince(processes[name]!, threadsBefore[name]!)]),
    );
    return {
      seconds: (machine.total - machineBefore.total) / os.availableParallelism(),
      machineBusy: (machine.busy - machineBefore.busy) / (machine.total - machineBefore.total),
      processes: Object.fromEntries(
        Object.entries(processes).map(([name, pid]) => [name, cpuSecondsOf(pid) - before[name]!]),
      ),
      threads,
    };
  };
}

/**
 * CPU seconds of a process and of its direct children still running (PostgreSQL's backends under its postmaster);
 * 0 once gone.
 */
export function treeCpuSecondsOf(pid: number): number {
  let total = cpuSecondsOf(pid);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(statFields(`/proc/${entry}/stat`)[1]) === pid) total += cpuSecondsOf(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}
