import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ModelThreadData, NetworkReply, NetworkRequest } from './modelThreadEntry';
import type { NetworkInput, NetworkName, NetworkOutput } from './networks';

// The networks and TensorFlow.js load in the thread only: a process that never runs one (the API) never loads them.
const THREAD_ENTRY = path.join(__dirname, `modelThreadEntry${path.extname(__filename)}`);
// Run from TypeScript sources (development, tests), the thread loads them the same way.
const EXEC_ARGV = THREAD_ENTRY.endsWith('.ts') ? ['--import', 'tsx'] : [];

interface Pending {
  resolve: (output: NetworkOutput<NetworkName>) => void;
  reject: (error: Error) => void;
}

/**
 * The networks of src/ai/networks.ts run in one worker thread of this process, started at the first request and kept
 * for the life of the process (each network loads once, when first asked for). Requests queue in the thread; the
 * thread never keeps the process alive on its own while none is waiting. A thread that dies fails what was waiting,
 * and the next request starts a new one.
 */
export class ModelThread {
  private thread?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  /** `modelsDir`: where scripts/install-models.sh put the converted networks (AI_MODELS_DIR). */
  constructor(private readonly modelsDir = path.resolve('.local', 'models')) {}

  /**
   * What `network` makes of an image (see Networks). The pixels are copied to the thread (150 KB for a classifier):
   * sharp's output lives outside the JavaScript heap and cannot be handed over.
   */
  run<N extends NetworkName>(network: N, input: NetworkInput<N>): Promise<NetworkOutput<N>> {
    const thread = this.running();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      thread.ref();
      const request: NetworkRequest = { id, network, input };
      thread.postMessage(request);
    });
  }

  /** Stops the thread, failing what still waits (the next request starts another). */
  async close(): Promise<void> {
    const thread = this.thread;
    if (!thread) return;
    this.stopped(thread, new Error('the model thread was closed'));
    await thread.terminate();
  }

  private running(): Worker {
    if (this.thread) return this.thread;
    const workerData: ModelThreadData = { modelsDir: this.modelsDir };
    const thread = new Worker(THREAD_ENTRY, { execArgv: EXEC_ARGV, workerData });
    thread.on('message', (reply: NetworkReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) thread.unref();
      if ('output' in reply) waiting?.resolve(reply.output);
      else waiting?.reject(new Error(`model thread: ${reply.error}`));
    });
    thread.on('error', (error: Error) => this.stopped(thread, error));
    thread.on('exit', (code) => this.stopped(thread, new Error(`the model thread exited with code ${code}`)));
    this.thread = thread;
    return thread;
  }

  /** Forgets the thread and fails every request waiting on it (once: a closed thread's exit finds it forgotten). */
  private stopped(thread: Worker, error: Error): void {
    if (this.thread !== thread) return;
    this.thread = undefined;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
